import { EVENT_CONTEXT, type EnvelopedEvent } from '@mgov/contracts';
import type { Database, Sql } from '@mgov/event-store';
import { traceIdOf } from './ledger-row';
import { appendEntrySql, LEDGER_DDL_VERSION, ledgerSchema, ledgerSql, moveHeadSql } from './ledger.sql';

export { ledgerSchema } from './ledger.sql';

export {
  type BrokenEntry, LEDGER_GENESIS, type LedgerVerification, type VerifyOptions, verifyLedger, verifyLedgerIn,
} from './ledger-verification';

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

/** The service that recorded an event: its contract's context, else the topic's. */
export function serviceOf(event: EnvelopedEvent, topic: string): string {
  return EVENT_CONTEXT[event.type] ?? /^mgov\.([a-z]+)\.events$/.exec(topic)?.[1] ?? 'unknown';
}
