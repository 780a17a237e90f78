import type { Database } from '@mgov/event-store';
import { quoteSchema } from '../sql-identifier';

/**
 * The embedded bus' tables. One partition per topic: `offset` counts from 0 per topic, handed out
 * under the topic row's lock, so offsets commit in order and readers never see a gap fill later.
 * `group_offsets.committed_offset` is, as in Kafka, the next offset the group will read.
 */
export async function migrateEmbeddedBus(db: Database, schema: string): Promise<void> {
  const s = quoteSchema(schema);
  await db.transaction(async (tx) => {
    await tx.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [`mgov.bus:${schema}`]);
    await tx.query(`CREATE SCHEMA IF NOT EXISTS ${s}`);
    await tx.query(`CREATE TABLE IF NOT EXISTS ${s}.topics (
      topic text PRIMARY KEY,
      next_offset bigint NOT NULL DEFAULT 0,
      created_at timestamptz NOT NULL DEFAULT now()
    )`);
    await tx.query(`CREATE TABLE IF NOT EXISTS ${s}.messages (
      topic text NOT NULL REFERENCES ${s}.topics (topic),
      "offset" bigint NOT NULL,
      key text NOT NULL,
      value bytea NOT NULL,
      headers jsonb NOT NULL DEFAULT '{}',
      published_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (topic, "offset")
    )`);
    await tx.query(`CREATE TABLE IF NOT EXISTS ${s}.group_offsets (
      group_id text NOT NULL,
      topic text NOT NULL,
      committed_offset bigint NOT NULL,
      updated_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (group_id, topic)
    )`);
  });
}
