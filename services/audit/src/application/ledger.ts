import { createHash } from 'node:crypto';
import { type AvroCodec, avroCodec, EVENT_CONTEXT, type EnvelopedEvent } from '@mgov/contracts';
import type { Database, Sql } from '@mgov/event-store';
import { LEDGER_COLUMNS, type LedgerRow, traceIdOf } from './ledger-row';
import { appendEntrySql, LEDGER_DDL_VERSION, ledgerSql, moveHeadSql } from './ledger.sql';

/** The prev_hash of the ledger's first entry. */
export const LEDGER_GENESIS: Buffer = Buffer.alloc(32);

/** Any fixed key: serializes concurrent ledger migrations in one database. */
const MIGRATION_LOCK = 7_310_150_412;

/** One received event: the exact bytes to store and hash, and where they came from. */
export interface LedgerEntry {
  readonly event: EnvelopedEvent;
  readonly payload: Buffer;
  readonly source: { readonly topic: string; readonly partition: number | null; readonly offset: string | null };
}

export interface Appended {
  readonly position: string;
  readonly hash: Buffer;
}

export interface BrokenEntry {
  readonly position: string;
  readonly reason: string;
}

export type LedgerVerification =
  | { readonly ok: true; readonly entries: number; readonly lastPosition: string; readonly headHash: string }
  | { readonly ok: false; readonly firstBroken: BrokenEntry };

export interface VerifyOptions {
  readonly codec?: AvroCodec;
  readonly pageSize?: number;
  /** Verify only the prefix up to this position (the chain head is then not compared). */
  readonly through?: string;
}

/** The schema as an identifier safe to splice into SQL. */
export function ledgerSchema(schema: string): string {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) throw new Error(`"${schema}" is not a valid schema name: use lower-case letters, digits and "_"`);
  return `"${schema}"`;
}

/**
 * Creates the ledger, its head and the access log unless this DDL version is already in place
 * (idempotent). Once in place it changes nothing, so a service role that was only granted access
 * (see `grantLedgerAccess`) can run it.
 */
export async function setupLedger(tx: Sql, schema: string): Promise<void> {
  const s = ledgerSchema(schema);
  await tx.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
  const [current] = await tx.query<{ version: string | null }>(
    `SELECT pg_catalog.obj_description(pg_catalog.to_regclass($1), 'pg_class') AS version`, [`${s}.ledger`],
  );
  if (current?.version === LEDGER_DDL_VERSION) return;
  for (const statement of ledgerSql(s)) await tx.query(statement);
}

export async function migrateLedger(db: Database, schema: string): Promise<void> {
  await db.transaction((tx) => setupLedger(tx, schema));
}

/**
 * Appends one event to the global chain inside the caller's transaction; returns null (and leaves
 * the head where it was) when the event id is already recorded.
 */
export async function appendToLedger(tx: Sql, schema: string, entry: LedgerEntry): Promise<Appended | null> {
  const s = ledgerSchema(schema);
  const { event, payload, source } = entry;
  const e = event.envelope;
  const [row] = await tx.query<{ position: string; hash: Buffer }>(appendEntrySql(s), [
    e.eventId, event.type, serviceOf(event, source.topic), e.streamId, e.streamVersion, new Date(e.occurredAt).toISOString(),
    e.actor.id, e.actor.role, e.correlationId, e.causationId, traceIdOf(e.traceparent), [...e.links],
    source.topic, source.partition, source.offset, payload,
  ]);
  if (!row) return null;
  await tx.query(moveHeadSql(s), [row.position, row.hash]);
  return row;
}

function serviceOf(event: EnvelopedEvent, topic: string): string {
  return EVENT_CONTEXT[event.type] ?? /^mgov\.([a-z]+)\.events$/.exec(topic)?.[1] ?? 'unknown';
}

/** Recomputes the chain page by page, in one snapshot, with node:crypto. */
export async function verifyLedger(db: Database, schema: string, options: VerifyOptions = {}): Promise<LedgerVerification> {
  return db.transaction(async (tx) => {
    await tx.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY');
    return verifyLedgerIn(tx, schema, options);
  });
}

/** `verifyLedger` inside the caller's (repeatable-read) transaction. */
export async function verifyLedgerIn(tx: Sql, schema: string, options: VerifyOptions = {}): Promise<LedgerVerification> {
  const s = ledgerSchema(schema);
  const codec = options.codec ?? avroCodec();
  const pageSize = options.pageSize ?? 1000;
  const through = options.through ?? '9223372036854775807';
  let previous = LEDGER_GENESIS;
  let lastPosition = '0';
  let entries = 0;
  for (;;) {
    const rows = await tx.query<LedgerRow>(
      `SELECT ${LEDGER_COLUMNS} FROM ${s}.ledger WHERE position > $1 AND position <= $2 ORDER BY position LIMIT $3`,
      [lastPosition, through, pageSize],
    );
    for (const row of rows) {
      const reason = brokenLink(row, previous) ?? columnMismatch(row, codec);
      if (reason) return { ok: false, firstBroken: { position: row.position, reason } };
      previous = row.hash;
      lastPosition = row.position;
      entries += 1;
    }
    if (rows.length < pageSize) break;
  }
  if (options.through === undefined) {
    const [head] = await tx.query<{ last_position: string; entries: string; last_hash: Buffer }>(
      `SELECT last_position, entries, last_hash FROM ${s}.ledger_head WHERE singleton`,
    );
    if (!head || head.last_position !== lastPosition || Number(head.entries) !== entries || !head.last_hash.equals(previous)) {
      const reason = `the chain head (position ${head?.last_position ?? 'missing'}, ${head?.entries ?? 0} entries) does not match the ledger ` +
        `(position ${lastPosition}, ${entries} entries): entries were removed from the end or the head was altered`;
      return { ok: false, firstBroken: { position: head?.last_position ?? lastPosition, reason } };
    }
  }
  return { ok: true, entries, lastPosition, headHash: previous.toString('hex') };
}

function brokenLink(row: LedgerRow, previous: Buffer): string | null {
  if (!row.prev_hash.equals(previous)) {
    return 'prev_hash is not the hash of the previous entry: an entry was removed, inserted or reordered before this one';
  }
  const expected = createHash('sha256').update(row.prev_hash).update(row.payload).digest();
  return expected.equals(row.hash) ? null : 'hash is not sha256(prev_hash || payload): the stored payload or hash was altered';
}

/** The searchable columns are copies; each must still say what the hashed payload says. */
function columnMismatch(row: LedgerRow, codec: AvroCodec): string | null {
  let event: EnvelopedEvent;
  try {
    event = codec.decodeEvent(row.payload);
  } catch (error) {
    return `payload does not decode: ${(error as Error).message}`;
  }
  const e = event.envelope;
  const expected: Record<string, unknown> = {
    event_id: e.eventId.toLowerCase(), event_type: event.type, stream_id: e.streamId, stream_version: e.streamVersion,
    occurred_ms: String(e.occurredAt), actor_id: e.actor.id, actor_role: e.actor.role, correlation_id: e.correlationId,
    causation_id: e.causationId, trace_id: traceIdOf(e.traceparent), links: [...e.links],
  };
  if (EVENT_CONTEXT[event.type]) expected.source_service = EVENT_CONTEXT[event.type];
  const differing = Object.keys(expected).filter((column) => !sameValue(row[column as keyof LedgerRow], expected[column]));
  return differing.length === 0 ? null : `column(s) ${differing.join(', ')} disagree with the hashed payload`;
}

// Element-wise rather than deep-equal: a driver may hand back arrays from another realm.
function sameValue(stored: unknown, expected: unknown): boolean {
  if (Array.isArray(stored) && Array.isArray(expected)) {
    return stored.length === expected.length && stored.every((item, i) => item === expected[i]);
  }
  return stored === expected;
}
