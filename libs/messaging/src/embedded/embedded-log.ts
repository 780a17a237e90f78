import type { Database, Sql } from '@mgov/event-store';
import type { ReceivedMessage } from '../message-bus';
import { quoteSchema } from '../sql-identifier';

interface MessageRow {
  readonly offset: string;
  readonly key: string;
  readonly value: Uint8Array;
  readonly headers: Record<string, string> | string;
}

// Stays well below PostgreSQL's 65535 bind parameters per statement.
const ROWS_PER_INSERT = 1000;

/** The SQL behind the embedded bus: topics, messages and group offsets in one schema. */
export function embeddedLog(db: Database, schema: string) {
  const s = quoteSchema(schema);

  const createTopics = (sql: Sql, topics: readonly string[]) =>
    sql.query(`INSERT INTO ${s}.topics (topic) SELECT unnest($1::text[]) ON CONFLICT (topic) DO NOTHING`, [[...new Set(topics)]]);

  return {
    createTopics: (topics: readonly string[]) => createTopics(db, topics),

    /** Appends `messages` to `topic` in one transaction; returns their offsets. */
    append: (topic: string, messages: readonly { key: string; value: Buffer; headers: Record<string, string> }[]) =>
      db.transaction(async (tx) => {
        await createTopics(tx, [topic]);
        const [{ first }] = await tx.query<{ first: string }>(
          `UPDATE ${s}.topics SET next_offset = next_offset + $2 WHERE topic = $1 RETURNING (next_offset - $2)::text AS first`,
          [topic, messages.length],
        );
        for (let start = 0; start < messages.length; start += ROWS_PER_INSERT) {
          const chunk = messages.slice(start, start + ROWS_PER_INSERT);
          const params: unknown[] = [topic, first];
          const rows = chunk.map((m, i) => {
            params.push(start + i, m.key, m.value, JSON.stringify(m.headers));
            const p = params.length;
            return `($1, $2::bigint + $${p - 3}::bigint, $${p - 2}, $${p - 1}, $${p}::jsonb)`;
          });
          await tx.query(`INSERT INTO ${s}.messages (topic, "offset", key, value, headers) VALUES ${rows.join(', ')}`, params);
        }
        return first;
      }),

    /** Up to `limit` messages of `topic` from offset `from` on. */
    async readFrom(topic: string, from: string, limit: number): Promise<ReceivedMessage[]> {
      const rows = await db.query<MessageRow>(
        `SELECT m."offset"::text AS "offset", m.key, m.value, m.headers FROM ${s}.messages m
         WHERE m.topic = $1 AND m."offset" >= $2::bigint ORDER BY m."offset" LIMIT $3`,
        [topic, from, limit],
      );
      return rows.map((row) => ({
        topic,
        partition: 0,
        offset: row.offset,
        key: row.key,
        value: Buffer.isBuffer(row.value) ? row.value : Buffer.from(row.value),
        headers: typeof row.headers === 'string' ? (JSON.parse(row.headers) as Record<string, string>) : row.headers,
      }));
    },

    /**
     * The group's next offset in `topic`. A group without one starts at 0, or, unless
     * `fromBeginning`, at the topic's current end, which is recorded so a restart keeps it.
     */
    async position(groupId: string, topic: string, fromBeginning: boolean): Promise<string> {
      return db.transaction(async (tx) => {
        await createTopics(tx, [topic]);
        await tx.query(
          `INSERT INTO ${s}.group_offsets (group_id, topic, committed_offset)
           SELECT $1, topic, CASE WHEN $3::boolean THEN 0 ELSE next_offset END FROM ${s}.topics WHERE topic = $2
           ON CONFLICT (group_id, topic) DO NOTHING`,
          [groupId, topic, fromBeginning],
        );
        const [row] = await tx.query<{ committed: string }>(
          `SELECT committed_offset::text AS committed FROM ${s}.group_offsets WHERE group_id = $1 AND topic = $2`,
          [groupId, topic],
        );
        return row.committed;
      });
    },

    commit: async (groupId: string, topic: string, next: string): Promise<void> => {
      await db.query(
        `UPDATE ${s}.group_offsets SET committed_offset = $3::bigint, updated_at = now() WHERE group_id = $1 AND topic = $2`,
        [groupId, topic, next],
      );
    },
  };
}

export type EmbeddedLog = ReturnType<typeof embeddedLog>;
