import type { Actor } from '@mgov/contracts';
import type { AccessLogFilter } from '@mgov/audit-domain';
import type { CommandMetadata } from '@mgov/decider';
import type { Database, Sql } from '@mgov/event-store';
import { ledgerSchema } from './ledger';

/** Who read what from the audit trail, and how much they got. */
export interface AccessRecord {
  /** Epoch milliseconds, from the caller's clock. */
  readonly at: number;
  readonly actor: Actor;
  readonly correlationId: string | null;
  readonly query: Readonly<Record<string, unknown>>;
  readonly resultCount: number;
}

export interface AccessLogEntry {
  readonly id: string;
  readonly at: string;
  readonly actor: Actor;
  readonly correlationId: string | null;
  readonly query: unknown;
  readonly resultCount: number;
}

interface AccessLogRow {
  id: string;
  at_ms: string;
  actor_id: string;
  actor_role: string;
  correlation_id: string | null;
  query: unknown;
  result_count: number;
}

export async function recordAccess(tx: Sql, schema: string, record: AccessRecord): Promise<void> {
  await tx.query(
    `INSERT INTO ${ledgerSchema(schema)}.access_log (at, actor_id, actor_role, correlation_id, query, result_count)
     VALUES ($1::timestamptz, $2, $3, $4, $5::jsonb, $6)`,
    [new Date(record.at).toISOString(), record.actor.id, record.actor.role, record.correlationId, JSON.stringify(record.query), record.resultCount],
  );
}

/** One page of the access log in recording order, plus one row to tell whether more follow. */
export async function readAccessLog(tx: Sql, schema: string, filter: AccessLogFilter): Promise<{ entries: AccessLogEntry[]; nextCursor: string | null }> {
  const params: unknown[] = [filter.after];
  const actor = filter.actor === undefined ? '' : ` AND actor_id = $${params.push(filter.actor)}`;
  const rows = await tx.query<AccessLogRow>(
    `SELECT id, (extract(epoch from at) * 1000)::bigint AS at_ms, actor_id, actor_role, correlation_id, query, result_count
       FROM ${ledgerSchema(schema)}.access_log WHERE id > $1${actor} ORDER BY id LIMIT $${params.push(filter.limit + 1)}`,
    params,
  );
  const page = rows.slice(0, filter.limit);
  return {
    entries: page.map((row) => ({
      id: row.id,
      at: new Date(Number(row.at_ms)).toISOString(),
      actor: { id: row.actor_id, role: row.actor_role },
      correlationId: row.correlation_id,
      query: row.query,
      resultCount: row.result_count,
    })),
    nextCursor: rows.length > filter.limit ? page[page.length - 1].id : null,
  };
}

/**
 * Runs a read and records it in one transaction: no answer leaves without its access record.
 * `read` returns the answer and how many entries it holds.
 */
export function recordedRead<T>(
  db: Database, schema: string, reader: CommandMetadata, query: Record<string, unknown>,
  read: (tx: Sql) => Promise<{ result: T; count: number }>,
): Promise<T> {
  return db.transaction(async (tx) => {
    const { result, count } = await read(tx);
    await recordAccess(tx, schema, { at: reader.now, actor: reader.actor, correlationId: reader.correlationId ?? null, query, resultCount: count });
    return result;
  });
}
