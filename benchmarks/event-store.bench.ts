// Event store throughput: hash-chained append vs a plain multi-row INSERT of the same rows, then a
// full projection rebuild. Run: node -r ./tools/register.js benchmarks/event-store.bench.ts
// (MGOV_DATABASE_URL must point at PostgreSQL; `npm run bench:event-store` starts one).
import { randomBytes, randomUUID } from 'node:crypto';
import {
  createEventStore,
  migrate,
  postgresDatabase,
  projectionRunner,
  type Database,
  type NewEvent,
  type Projection,
  type Sql,
  type StoredEvent,
} from '@mgov/event-store';

const EVENTS = Number(process.env.BENCH_EVENTS ?? 100_000);
const BATCH = 100;
const WRITERS = 4;
const PAYLOAD_BYTES = 1024;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const PROJECTION_BATCH = 1000;
const TARGET_RATIO = 0.5;
const TARGET_REBUILD = 50_000;

type Row = NewEvent & { readonly streamId: string; readonly streamVersion: number };

/** Per writer: its own stream, split into batches of BATCH events with 1 KB random payloads. */
function generate(round: number): Row[][][] {
  const payloads = Array.from({ length: 64 }, () => randomBytes(PAYLOAD_BYTES));
  return Array.from({ length: WRITERS }, (_, writer) => {
    const streamId = `bench-r${round}-w${writer}`;
    const perWriter = EVENTS / WRITERS;
    return Array.from({ length: perWriter / BATCH }, (_, b) =>
      Array.from({ length: BATCH }, (_, i) => {
        const streamVersion = b * BATCH + i + 1;
        return { streamId, streamVersion, eventId: randomUUID(), type: 'BenchEventRecorded', data: payloads[streamVersion % 64] };
      }),
    );
  });
}

async function timed(work: () => Promise<unknown>): Promise<number> {
  const started = process.hrtime.bigint();
  await work();
  return Number(process.hrtime.bigint() - started) / 1e9;
}

async function appendChained(db: Database, schema: string, data: Row[][][]): Promise<number> {
  const store = createEventStore(db, schema);
  return timed(() =>
    Promise.all(
      data.map(async (batches) => {
        let version = 0;
        for (const batch of batches) version = (await store.append(batch[0].streamId, version, batch)).nextVersion;
      }),
    ),
  );
}

async function insertPlain(db: Database, schema: string, data: Row[][][]): Promise<number> {
  const noHash = Buffer.alloc(32);
  const values = Array.from({ length: BATCH }, (_, i) => {
    const p = i * 7;
    return `($${p + 1}, $${p + 2}, $${p + 3}, $${p + 4}, $${p + 5}, $${p + 6}, $${p + 7})`;
  }).join(', ');
  const sql = `INSERT INTO ${schema}.plain_events (stream_id, stream_version, event_id, type, data, prev_hash, hash) VALUES ${values}`;
  return timed(() =>
    Promise.all(
      data.map(async (batches) => {
        for (const batch of batches) {
          await db.query(sql, batch.flatMap((e) => [e.streamId, e.streamVersion, e.eventId, e.type, e.data, noHash, noHash]));
        }
      }),
    ),
  );
}

/** Same columns, defaults, keys and indexes as `events`, but no chain head, no function, no triggers. */
async function createPlainTable(db: Database, schema: string): Promise<void> {
  await db.query(`CREATE TABLE ${schema}.plain_events (
    position bigserial PRIMARY KEY,
    transaction_id xid8 NOT NULL DEFAULT pg_current_xact_id(),
    stream_id text NOT NULL, stream_version int NOT NULL, event_id uuid NOT NULL UNIQUE, type text NOT NULL,
    data bytea NOT NULL, recorded_at timestamptz NOT NULL DEFAULT now(), prev_hash bytea NOT NULL, hash bytea NOT NULL,
    UNIQUE (stream_id, stream_version))`);
  await db.query(`CREATE INDEX ON ${schema}.plain_events (transaction_id, position)`);
}

/** One row per stream with a counter; idempotent through the last applied version. */
function streamCounter(schema: string): Projection {
  const table = `${schema}.bench_stream_counts`;
  const upsert = (tx: Sql, streams: string[], versions: number[], counts: number[]) =>
    tx.query(
      `INSERT INTO ${table} AS t (stream_id, last_version, events)
       SELECT * FROM unnest($1::text[], $2::int[], $3::int[])
       ON CONFLICT (stream_id) DO UPDATE SET last_version = excluded.last_version, events = t.events + excluded.events
       WHERE t.last_version < excluded.last_version`,
      [streams, versions, counts],
    );
  return {
    name: 'bench_stream_counts',
    version: 1,
    setup: async (tx) => {
      await tx.query(`CREATE TABLE IF NOT EXISTS ${table} (stream_id text PRIMARY KEY, last_version int NOT NULL, events bigint NOT NULL)`);
    },
    reset: async (tx) => {
      await tx.query(`TRUNCATE ${table}`);
    },
    handle: async (tx, event) => {
      await upsert(tx, [event.streamId], [event.streamVersion], [1]);
    },
    handleBatch: async (tx, events: readonly StoredEvent[]) => {
      const perStream = new Map<string, { version: number; count: number }>();
      for (const event of events) {
        const entry = perStream.get(event.streamId) ?? { version: 0, count: 0 };
        perStream.set(event.streamId, { version: Math.max(entry.version, event.streamVersion), count: entry.count + 1 });
      }
      const streams = [...perStream.keys()];
      await upsert(tx, streams, streams.map((s) => perStream.get(s)!.version), streams.map((s) => perStream.get(s)!.count));
    },
  };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const rate = (seconds: number) => Math.round(EVENTS / seconds);

async function main(): Promise<void> {
  const url = process.env.MGOV_DATABASE_URL;
  if (!url) throw new Error('MGOV_DATABASE_URL is not set: run `npm run bench:event-store`, or point it at a PostgreSQL server.');
  const db = await postgresDatabase(url, { poolSize: WRITERS + 2, applicationName: 'mgov-bench' });
  const rounds: { chained: number; plain: number; ratio: number }[] = [];
  let schema = '';
  try {
    for (let round = 1; round <= ROUNDS; round++) {
      if (schema) await db.query(`DROP SCHEMA ${schema} CASCADE`);
      schema = `bench_${process.pid}_${round}`;
      await migrate(db, schema);
      await createPlainTable(db, schema);
      const data = generate(round);
      // Alternate which measurement goes first, so warm-up and checkpoints hit both alike.
      let chained = 0;
      let plain = 0;
      if (round % 2 === 1) {
        chained = rate(await appendChained(db, schema, data));
        plain = rate(await insertPlain(db, schema, data));
      } else {
        plain = rate(await insertPlain(db, schema, data));
        chained = rate(await appendChained(db, schema, data));
      }
      rounds.push({ chained, plain, ratio: chained / plain });
      process.stderr.write(`round ${round}: chained ${chained} ev/s, plain ${plain} rows/s, ratio ${(chained / plain).toFixed(2)}\n`);
    }

    const store = createEventStore(db, schema);
    const batched = projectionRunner(store, streamCounter(schema), { batchSize: PROJECTION_BATCH });
    const perEvent = projectionRunner(store, { ...streamCounter(schema), name: 'bench_stream_counts_per_event', handleBatch: undefined }, { batchSize: PROJECTION_BATCH });
    const rebuilds: number[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      let handled = 0;
      rebuilds.push(Math.round(EVENTS / (await timed(async () => (handled = await batched.rebuild())))));
      if (handled !== EVENTS) throw new Error(`rebuild handled ${handled} events, expected ${EVENTS}`);
    }
    // Once only: one round trip per event, so it measures the connection's latency more than the store.
    const perEventRebuild = Math.round(EVENTS / (await timed(() => perEvent.rebuild())));

    const result = {
      bench: 'event-store',
      events: EVENTS,
      payloadBytes: PAYLOAD_BYTES,
      batch: BATCH,
      writers: WRITERS,
      rounds: ROUNDS,
      chainedAppendEventsPerSec: median(rounds.map((r) => r.chained)),
      plainInsertRowsPerSec: median(rounds.map((r) => r.plain)),
      ratio: Number(median(rounds.map((r) => r.ratio)).toFixed(3)),
      ratioTarget: TARGET_RATIO,
      rebuildEventsPerSec: median(rebuilds),
      rebuildPerEventHandlerEventsPerSec: perEventRebuild,
      rebuildTarget: TARGET_REBUILD,
      roundsDetail: rounds.map((r) => ({ ...r, ratio: Number(r.ratio.toFixed(3)) })),
      rebuildsDetail: rebuilds,
    };
    const table: [string, string, string][] = [
      ['chained append (events/s)', String(result.chainedAppendEventsPerSec), ''],
      ['plain INSERT (rows/s)', String(result.plainInsertRowsPerSec), ''],
      ['ratio chained / plain', result.ratio.toFixed(3), `>= ${TARGET_RATIO} ${result.ratio >= TARGET_RATIO ? 'ok' : 'MISSED'}`],
      ['rebuild, batch handler (events/s)', String(result.rebuildEventsPerSec), `>= ${TARGET_REBUILD} ${result.rebuildEventsPerSec >= TARGET_REBUILD ? 'ok' : 'MISSED'}`],
      ['rebuild, per-event handler (events/s)', String(result.rebuildPerEventHandlerEventsPerSec), '(informational, one run: a round trip per event)'],
    ];
    console.log(`event store, ${EVENTS} events x ${PAYLOAD_BYTES} B, batches of ${BATCH}, ${WRITERS} writers, median of ${ROUNDS} rounds`);
    for (const [name, value, target] of table) console.log(`  ${name.padEnd(40)} ${value.padStart(10)}  ${target}`);
    console.log(JSON.stringify(result));
  } finally {
    if (schema) await db.query(`DROP SCHEMA ${schema} CASCADE`).catch(() => undefined);
    await db.close();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
