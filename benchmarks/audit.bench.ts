// Audit ledger at scale: builds a ledger of BENCH_EVENTS (default 1,000,000) realistic governance
// events in a fresh schema on a real PostgreSQL, then measures chain verification, a query by model
// version and a model passport, each against a baseline from the same run.
// Run: npm run bench:audit (starts PostgreSQL), or with MGOV_DATABASE_URL set:
//   node -r ./tools/register.js benchmarks/audit.bench.ts
// Loading uses bulkAppendToLedger: every payload is encoded by the real Avro codec and the chain
// sha256(prev_hash ‖ payload) is computed in batches, the same chain appendToLedger builds one event
// at a time (ledger-bulk-load.suite.ts checks that); the ledger is then verified in full.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { type Actor, avroCodec, type DomainEvent, type EnvelopedEvent, EVENT_CONTEXT, Subject } from '@mgov/contracts';
import { postgresDatabase } from '@mgov/event-store';
import { auditConfig } from '../services/audit/src/application/audit-config';
import { AuditQueries } from '../services/audit/src/application/audit-queries';
import { signDigestNow } from '../services/audit/src/application/digest-signer';
import { migrateLedger, verifyLedger } from '../services/audit/src/application/ledger';
import { bulkAppendToLedger } from '../services/audit/src/application/ledger-bulk-load';
import { readVerifyPage } from '../services/audit/src/application/ledger-pages';
import { LEDGER_COLUMNS } from '../services/audit/src/application/ledger-row';
import { loadSigningKey } from '../services/audit/src/application/signing-key';

const EVENTS = Number(process.env.BENCH_EVENTS ?? 1_000_000);
const MODEL_VERSIONS = Number(process.env.BENCH_MODEL_VERSIONS ?? 4000);
const BATCH = 10_000;
const WARMUP = 10;
const SAMPLES = 50;
const ROUNDS = 3;
const PAGE = 2000;
/** Parallel position ranges of the verification (the route's default is 2). */
const SEGMENTS = Number(process.env.BENCH_SEGMENTS ?? 2);
const TARGETS = { verifyEventsPerSec: 100_000, queryP95Ms: 200, passportP95Ms: 200 };
const T0 = Date.UTC(2030, 0, 1);
const FEATURES = ['age', 'income', 'tenure', 'region'];

const codec = avroCodec();
const people: Record<string, Actor> = {
  steward: { id: 'steward', role: 'data-steward' }, scientist: { id: 'scientist', role: 'data-scientist' },
  reviewer: { id: 'reviewer', role: 'model-reviewer' }, monitoring: { id: 'monitoring', role: 'service' },
};
const modelOf = (mv: number) => ({ name: `model-${mv % 1000}`, version: Math.floor(mv / 1000) + 1 });

/** Governance flows for MODEL_VERSIONS model versions, then monitoring windows round-robin until EVENTS. */
function* governanceEvents(): Generator<EnvelopedEvent> {
  const versions = new Map<string, number>();
  let count = 0;
  const make = <T extends DomainEvent['type']>(type: T, data: Extract<DomainEvent, { type: T }>['data'], stream: string, links: string[], actor: Actor): EnvelopedEvent => {
    const streamVersion = (versions.get(stream) ?? 0) + 1;
    versions.set(stream, streamVersion);
    const occurredAt = T0 + count++ * 1000;
    return { type, data, envelope: {
      eventId: randomUUID(), eventType: type, streamId: stream, streamVersion, occurredAt, actor, correlationId: `flow-${stream}`,
      causationId: null, traceparent: `00-${randomUUID().replace(/-/g, '')}-${'ab'.repeat(8)}-01`, tracestate: null, links,
    } } as EnvelopedEvent;
  };
  for (let mv = 0; mv < MODEL_VERSIONS && count < EVENTS; mv++) {
    const { name, version } = modelOf(mv);
    const [src, ds, run, cand] = [`src-${mv}`, `ds-${mv}`, `run-${mv}`, `cand-${mv}`];
    const columns = FEATURES.map((f) => ({ name: f, kind: 'numeric' as const, count: 10_000, missing: 12, binEdges: [0, 1, 2, 3], binCounts: [10, 20, 30], categoryCounts: {} }));
    yield make('SourceRegistered', { sourceId: src, name: src, kind: 'database', license: 'internal', owner: 'steward', personalDataColumns: ['email'], licenseExpiresAt: null }, Subject.source(src), [Subject.source(src)], people.steward);
    yield make('DatasetVersionRegistered', { datasetVersionId: ds, datasetName: name, sourceIds: [src], parentVersionIds: [], transformation: null, rowCount: 10_000, columns },
      Subject.datasetVersion(ds), [Subject.datasetVersion(ds), Subject.source(src)], people.steward);
    yield make('DatasetVersionClearedForTraining', { datasetVersionId: ds, gate: 'stub', policyVersion: 'p1' }, Subject.datasetVersion(ds), [Subject.datasetVersion(ds)], people.steward);
    yield make('RunStarted', { runId: run, experimentName: name, datasetVersionIds: [ds], params: { depth: '6', lr: '0.1' }, experimentId: '', runName: '', startTime: 0, user: '', tags: {} }, Subject.run(run), [Subject.run(run), Subject.datasetVersion(ds)], people.scientist);
    yield make('RunCompleted', { runId: run, metrics: { accuracy: 0.91, demographic_parity: 0.03 }, artifactDigest: `sha256:${run}`, experimentId: '', user: '', status: 'FINISHED', params: {}, artifacts: [], datasetVersionIds: [], unknownInputs: [], dataUnverified: false }, Subject.run(run), [Subject.run(run)], people.scientist);
    const common = [Subject.model(name), Subject.candidate(cand)];
    yield make('ModelVersionSubmitted', { modelName: name, candidateId: cand, runId: run, artifactDigest: `sha256:${run}`, datasetVersionIds: [ds], submittedBy: 'scientist' },
      Subject.model(name), [...common, Subject.run(run), Subject.datasetVersion(ds)], people.scientist);
    yield make('ModelVersionApproved', { modelName: name, candidateId: cand, approvedBy: 'reviewer', justification: 'all gates passed' },
      Subject.model(name), [...common, Subject.modelVersion(name, version)], people.reviewer);
    yield make('ModelVersionRegistered', { modelName: name, version, tag: `${name}:${version}`, digest: `sha256:${run}`, candidateId: cand, runId: run, datasetVersionIds: [ds], submittedBy: '', approvedBy: [], metrics: {}, policyVersion: '' },
      Subject.model(name), [...common, Subject.modelVersion(name, version), Subject.run(run), Subject.datasetVersion(ds)], people.reviewer);
  }
  for (let window = 0; count < EVENTS; window++) {
    for (let mv = 0; mv < MODEL_VERSIONS && count < EVENTS; mv++) {
      const { name, version } = modelOf(mv);
      const links = [Subject.modelVersion(name, version), Subject.model(name)];
      const windowStart = T0 + window * 60_000;
      const featureDrift = FEATURES.map((feature, i) => ({ feature, metric: 'psi', value: ((mv + window + i) % 17) / 100 }));
      yield make('MonitoringWindowEvaluated', { modelName: name, modelVersion: version, windowIndex: window, windowStart, windowEnd: windowStart + 60_000, predictionCount: 500, featureDrift,
        windowKind: 'tumbling', windowUnit: 'events', windowSize: 500, policyVersion: 1, driftShare: 0, labelledCount: 0, performance: [], bias: [] },
        Subject.monitor(name, version), links, people.monitoring);
      if ((mv + window) % 50 === 0 && count < EVENTS) {
        yield make('DataDriftDetected', { alertId: `a-${mv}-${window}`, modelName: name, modelVersion: version, digest: `sha256:run-${mv}`, severity: 'warn', feature: 'age',
          metric: 'psi', value: 0.16, threshold: 0.1, windowIndex: window, windowStart, windowEnd: windowStart + 60_000 }, Subject.monitor(name, version), links, people.monitoring);
      }
    }
  }
}

const seconds = async (work: () => Promise<unknown>) => {
  const started = process.hrtime.bigint();
  await work();
  return Number(process.hrtime.bigint() - started) / 1e9;
};
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const p95 = (ms: number[]) => [...ms].sort((a, b) => a - b)[Math.ceil(ms.length * 0.95) - 1];

/** p95 in ms of SAMPLES calls after WARMUP, each on a fresh random argument. */
async function latency(call: (i: number) => Promise<unknown>): Promise<number> {
  for (let i = 0; i < WARMUP; i++) await call(i);
  const samples: number[] = [];
  for (let i = 0; i < SAMPLES; i++) samples.push((await seconds(() => call(WARMUP + i))) * 1000);
  return Number(p95(samples).toFixed(1));
}

async function main(): Promise<void> {
  const url = process.env.MGOV_DATABASE_URL;
  if (!url) throw new Error('MGOV_DATABASE_URL is not set: run `npm run bench:audit`, or point it at a PostgreSQL server.');
  const db = await postgresDatabase(url, { poolSize: 4, applicationName: 'mgov-bench-audit' });
  const schema = `bench_audit_${process.pid}`;
  const keyDir = mkdtempSync(join(tmpdir(), 'mgov-bench-keys-'));
  try {
    await migrateLedger(db, schema);
    let batch: Parameters<typeof bulkAppendToLedger>[2][number][] = [];
    const flush = async () => {
      const entries = batch;
      batch = [];
      await db.transaction((tx) => bulkAppendToLedger(tx, schema, entries));
    };
    const loadSeconds = await seconds(async () => {
      for (const event of governanceEvents()) {
        batch.push({ event, payload: codec.encodeEvent(event), source: { topic: `mgov.${EVENT_CONTEXT[event.type]}.events`, partition: 0, offset: null } });
        if (batch.length === BATCH) await flush();
      }
      if (batch.length > 0) await flush();
      await db.query(`VACUUM ANALYZE ${schema}.ledger`);
    });
    process.stderr.write(`loaded ${EVENTS} events in ${loadSeconds.toFixed(1)} s\n`);

    // Three rounds, alternating, medians: verification against reading the same pages over the same
    // number of connections, without hashing or decoding.
    const verifyRuns: number[] = [];
    const scanRuns: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      scanRuns.push(await seconds(() => Promise.all(Array.from({ length: SEGMENTS }, (_, i) => db.transaction(async (tx) => {
        const [from, through] = [Math.floor((EVENTS * i) / SEGMENTS), Math.floor((EVENTS * (i + 1)) / SEGMENTS)];
        for (let after = String(from); ;) {
          const rows = await readVerifyPage(tx, `"${schema}"`, after, String(through), PAGE);
          if (rows.length < PAGE) break;
          after = rows[rows.length - 1].position;
        }
      })))));
      verifyRuns.push(await seconds(async () => {
        const result = await verifyLedger(db, schema, { codec, pageSize: PAGE, segments: SEGMENTS });
        if (!result.ok || result.entries !== EVENTS) throw new Error(`the bulk-built ledger does not verify: ${JSON.stringify(result)}`);
      }));
    }
    const [verifySeconds, scanSeconds] = [median(verifyRuns), median(scanRuns)];
    const signSeconds = await seconds(() => signDigestNow({ db, schema, codec, clock: { now: () => Date.now() } }, loadSigningKey({ keyDir })));

    const queries = new AuditQueries({ db, schema, codec }, { ...auditConfig({}), verify: { schemas: [] }, digests: { ...auditConfig({}).digests, keyDir } });
    const reader = { actor: { id: 'bench', role: 'governance-auditor' }, now: Date.now(), correlationId: 'bench' };
    const randomModelVersion = (i: number) => modelOf((i * 7919) % MODEL_VERSIONS);
    const [{ max }] = await db.query<{ max: string }>(`SELECT max(position) AS max FROM ${schema}.ledger`);
    const pkLookupP95 = await latency(() => db.query(`SELECT ${LEDGER_COLUMNS} FROM ${schema}.ledger WHERE position = $1`, [1 + Math.floor(Math.random() * Number(max))]));
    const queryP95 = await latency((i) => {
      const { name, version } = randomModelVersion(i);
      return queries.events({ modelVersion: `${name}:${version}`, limit: '100' }, reader);
    });
    const passportP95 = await latency((i) => {
      const { name, version } = randomModelVersion(i);
      return queries.passport(name, String(version), { format: 'json' }, reader);
    });
    const result = {
      bench: 'audit', events: EVENTS, modelVersions: MODEL_VERSIONS, loadPath: 'bulkAppendToLedger', batch: BATCH, verifySegments: SEGMENTS,
      loadEventsPerSec: Math.round(EVENTS / loadSeconds),
      verifyEventsPerSec: Math.round(EVENTS / verifySeconds), scanRowsPerSec: Math.round(EVENTS / scanSeconds),
      verifyRunsEventsPerSec: verifyRuns.map((t) => Math.round(EVENTS / t)), scanRunsRowsPerSec: scanRuns.map((t) => Math.round(EVENTS / t)),
      verifyVsScan: Number((scanSeconds / verifySeconds).toFixed(3)), firstDigestSeconds: Number(signSeconds.toFixed(2)),
      queryByModelVersionP95Ms: queryP95, passportP95Ms: passportP95, pkLookupP95Ms: pkLookupP95,
      queryVsPkLookup: Number((queryP95 / pkLookupP95).toFixed(1)), passportVsPkLookup: Number((passportP95 / pkLookupP95).toFixed(1)),
      samples: SAMPLES, warmup: WARMUP, targets: TARGETS,
    };
    const verdict = (ok: boolean) => (ok ? 'ok' : 'MISSED');
    const table: [string, string, string][] = [
      ['bulk load (events/s)', String(result.loadEventsPerSec), '(informational)'],
      ['chain verification (events/s)', String(result.verifyEventsPerSec), `>= ${TARGETS.verifyEventsPerSec} ${verdict(result.verifyEventsPerSec >= TARGETS.verifyEventsPerSec)}`],
      ['  baseline: same pages, no hashing (rows/s)', String(result.scanRowsPerSec), `verification runs at ${result.verifyVsScan} x the scan`],
      ['first signed digest, verifies all (s)', String(result.firstDigestSeconds), '(informational)'],
      ['query by model version p95 (ms)', String(queryP95), `<= ${TARGETS.queryP95Ms} ${verdict(queryP95 <= TARGETS.queryP95Ms)}`],
      ['model passport p95 (ms)', String(passportP95), `<= ${TARGETS.passportP95Ms} ${verdict(passportP95 <= TARGETS.passportP95Ms)}`],
      ['  baseline: primary-key lookup p95 (ms)', String(pkLookupP95), `query ${result.queryVsPkLookup} x, passport ${result.passportVsPkLookup} x`],
    ];
    console.log(`audit ledger, ${EVENTS} events over ${MODEL_VERSIONS} model versions; rates: median of ${ROUNDS} rounds; p95 of ${SAMPLES} samples after ${WARMUP} warm-up`);
    for (const [name, value, note] of table) console.log(`  ${name.padEnd(42)} ${value.padStart(10)}  ${note}`);
    console.log(JSON.stringify(result));
  } finally {
    await db.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch(() => undefined);
    await db.close();
    rmSync(keyDir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
