import type { Projection, StoredEvent } from '../src';

/**
 * A read model with two tables, idempotent per event: the summary only moves forward on a higher
 * stream version; the per-type index is keyed by event id.
 */
export function streamSummaryProjection(schema: string, hooks: { beforeHandle?: (event: StoredEvent) => void } = {}): Projection {
  const summary = `${schema}.stream_summary`;
  const byType = `${schema}.events_by_type`;
  return {
    name: 'stream_summary',
    version: 1,
    async setup(tx) {
      await tx.query(`CREATE TABLE IF NOT EXISTS ${summary} (
        stream_id text PRIMARY KEY, last_version int NOT NULL, event_count int NOT NULL,
        bytes bigint NOT NULL, last_type text NOT NULL, last_position bigint NOT NULL)`);
      await tx.query(`CREATE TABLE IF NOT EXISTS ${byType} (
        event_id uuid PRIMARY KEY, type text NOT NULL, stream_id text NOT NULL, data_sha256 bytea NOT NULL)`);
    },
    async handle(tx, event) {
      hooks.beforeHandle?.(event);
      await tx.query(
        `INSERT INTO ${summary} AS s (stream_id, last_version, event_count, bytes, last_type, last_position)
         VALUES ($1, $2, 1, $3, $4, $5)
         ON CONFLICT (stream_id) DO UPDATE SET last_version = excluded.last_version, event_count = s.event_count + 1,
           bytes = s.bytes + excluded.bytes, last_type = excluded.last_type, last_position = excluded.last_position
         WHERE s.last_version < excluded.last_version`,
        [event.streamId, event.streamVersion, event.data.length, event.type, event.position],
      );
      await tx.query(
        `INSERT INTO ${byType} (event_id, type, stream_id, data_sha256) VALUES ($1, $2, $3, sha256($4))
         ON CONFLICT (event_id) DO NOTHING`,
        [event.eventId, event.type, event.streamId, event.data],
      );
    },
    async reset(tx) {
      await tx.query(`TRUNCATE ${summary}, ${byType}`);
    },
  };
}

export const summaryTables = (schema: string) =>
  [
    [`${schema}.stream_summary`, 'stream_id'],
    [`${schema}.events_by_type`, 'event_id'],
  ] as const;
