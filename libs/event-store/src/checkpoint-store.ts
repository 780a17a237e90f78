import type { Sql } from './database';
import { quoteIdentifier } from './schema-name';
import { START, type Checkpoint } from './stored-event';

/**
 * How far each subscriber (projection, outbox relay…) got in the global log, stored in the
 * schema's `checkpoints` table. Store the checkpoint in the same transaction as the work it
 * covers, so both commit or neither does (invariant 5).
 */
export interface CheckpointStore {
  /** The subscriber's checkpoint, START if it has none. */
  load(sql: Sql, subscriber: string): Promise<Checkpoint>;
  /**
   * Like load, but also locks the subscriber's row until `tx` ends, so two processes running the
   * same subscriber take turns instead of doing the same batch twice.
   */
  claim(tx: Sql, subscriber: string): Promise<Checkpoint>;
  store(sql: Sql, subscriber: string, checkpoint: Checkpoint): Promise<void>;
}

interface CheckpointRow {
  readonly transaction_id: string;
  readonly position: string;
}

export function createCheckpointStore(schema: string): CheckpointStore {
  const table = `${quoteIdentifier(schema)}.checkpoints`;
  const select = `SELECT transaction_id, position FROM ${table} WHERE subscriber = $1`;
  const toCheckpoint = (row: CheckpointRow | undefined): Checkpoint =>
    row ? { transactionId: row.transaction_id, position: row.position } : START;

  return {
    async load(sql, subscriber) {
      const [row] = await sql.query<CheckpointRow>(select, [subscriber]);
      return toCheckpoint(row);
    },
    async claim(tx, subscriber) {
      let [row] = await tx.query<CheckpointRow>(`${select} FOR UPDATE`, [subscriber]);
      if (!row) {
        await tx.query(
          `INSERT INTO ${table} (subscriber, transaction_id, position) VALUES ($1, $2, $3) ON CONFLICT (subscriber) DO NOTHING`,
          [subscriber, START.transactionId, START.position],
        );
        [row] = await tx.query<CheckpointRow>(`${select} FOR UPDATE`, [subscriber]);
      }
      return toCheckpoint(row);
    },
    async store(sql, subscriber, checkpoint) {
      await sql.query(
        `INSERT INTO ${table} (subscriber, transaction_id, position, updated_at) VALUES ($1, $2, $3, now())
         ON CONFLICT (subscriber) DO UPDATE
           SET transaction_id = excluded.transaction_id, position = excluded.position, updated_at = excluded.updated_at`,
        [subscriber, checkpoint.transactionId, checkpoint.position],
      );
    },
  };
}
