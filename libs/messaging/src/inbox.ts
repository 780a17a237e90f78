import type { Database, Sql } from '@mgov/event-store';
import { quoteSchema } from './sql-identifier';

export interface InboxKey {
  readonly schema: string;
  /** The consumer (reactor, projection) deduplicating; each consumer has its own marks. */
  readonly consumer: string;
  /** The id of the event or message being handled. */
  readonly eventId: string;
}

/** Creates `<schema>.inbox`, where idempotent consumers mark what they have handled. */
export async function migrateInbox(db: Database, schema: string): Promise<void> {
  const s = quoteSchema(schema);
  await db.transaction(async (tx) => {
    // Concurrent CREATE … IF NOT EXISTS can still collide in the catalog; take turns.
    await tx.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [`mgov.inbox:${schema}`]);
    await tx.query(`CREATE SCHEMA IF NOT EXISTS ${s}`);
    await tx.query(`CREATE TABLE IF NOT EXISTS ${s}.inbox (
      consumer text NOT NULL,
      event_id text NOT NULL,
      processed_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (consumer, event_id)
    )`);
  });
}

/**
 * Runs `work` at most once per (consumer, eventId): the dedupe mark and everything `work` writes
 * through `tx` commit together, or neither does (invariant 5). Resolves false for a duplicate.
 */
export async function processOnce(db: Database, key: InboxKey, work: (tx: Sql) => Promise<void>): Promise<boolean> {
  const inbox = `${quoteSchema(key.schema)}.inbox`;
  return db.transaction(async (tx) => {
    const marked = await tx.query(
      `INSERT INTO ${inbox} (consumer, event_id) VALUES ($1, $2) ON CONFLICT (consumer, event_id) DO NOTHING RETURNING 1 AS marked`,
      [key.consumer, key.eventId],
    );
    if (marked.length === 0) return false;
    await work(tx);
    return true;
  });
}
