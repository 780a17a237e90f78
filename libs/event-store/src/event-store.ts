import { encodeByteaArray } from './bytea-array';
import type { Database, Sql } from './database';
import { InvalidEventError } from './errors';
import { quoteIdentifier } from './schema-name';
import { toEventStoreError } from './sql-error';
import type { Checkpoint, ExpectedVersion, NewEvent, StoredEvent } from './stored-event';
import { EVENT_COLUMNS, toStoredEvent, type EventRow } from './stored-event-row';

export interface AppendResult {
  /** The stream's version after the append (= the last appended event's stream version). */
  readonly nextVersion: number;
  readonly transactionId: string;
  /** Global positions of the appended events, in stream order. */
  readonly positions: readonly string[];
}

export interface ReadStreamOptions {
  /** First stream version to return (default 1). */
  readonly fromVersion?: number;
  readonly limit?: number;
  readonly tx?: Sql;
}

export interface StreamAppend {
  readonly streamId: string;
  readonly expectedVersion: ExpectedVersion;
  readonly events: readonly NewEvent[];
}

/** One service's event log in its own PostgreSQL schema. */
export interface EventStore {
  readonly db: Database;
  readonly schema: string;
  /**
   * Appends `events` to a stream in one round trip, if the stream is at `expectedVersion`
   * (0 = the stream must not exist yet, 'any' = no check); otherwise throws
   * ConcurrencyConflictError and writes nothing. Pass `tx` to append inside your transaction.
   */
  append(streamId: string, expectedVersion: ExpectedVersion, events: readonly NewEvent[], tx?: Sql): Promise<AppendResult>;
  /**
   * Appends to several streams in one round trip, each as `append` would (same checks, same
   * chain); if any stream is not at its expected version, nothing is written. Results in order.
   */
  appendMany(appends: readonly StreamAppend[], tx?: Sql): Promise<AppendResult[]>;
  readStream(streamId: string, options?: ReadStreamOptions): Promise<StoredEvent[]>;
  /** Several streams whole, in one round trip: each one's events in order (none for a stream that has none). */
  readStreams(streamIds: readonly string[], tx?: Sql): Promise<Map<string, StoredEvent[]>>;
  /** The stream's current version; 0 when it has no events. */
  streamVersion(streamId: string, tx?: Sql): Promise<number>;
  /**
   * Up to `limit` committed events after `after` in (transaction id, position) order, never past
   * the oldest transaction still in flight, so no reader skips an event that commits late (invariant 3).
   */
  readAll(after: Checkpoint, limit: number, tx?: Sql): Promise<StoredEvent[]>;
}

export function createEventStore(db: Database, schema: string): EventStore {
  const s = quoteIdentifier(schema);
  const appendSql = `SELECT next_version, xact_id::text AS transaction_id, positions FROM ${s}.append_events($1, $2, $3, $4, $5)`;
  const readStreamSql = `SELECT ${EVENT_COLUMNS} FROM ${s}.events
    WHERE stream_id = $1 AND stream_version >= $2 ORDER BY stream_version LIMIT $3`;
  const readStreamsSql = `SELECT ${EVENT_COLUMNS} FROM ${s}.events WHERE stream_id = ANY($1::text[]) ORDER BY stream_id, stream_version`;
  const readAllSql = `SELECT ${EVENT_COLUMNS} FROM ${s}.events
    WHERE (transaction_id, position) > ($1::xid8, $2::bigint)
      AND transaction_id < pg_snapshot_xmin(pg_current_snapshot())
    ORDER BY transaction_id, position LIMIT $3`;

  const paramsOf = (streamId: string, expectedVersion: ExpectedVersion, events: readonly NewEvent[]) => {
    assertAppendable(streamId, expectedVersion, events);
    return [
      streamId,
      expectedVersion === 'any' ? -1 : expectedVersion,
      events.map((event) => event.eventId),
      events.map((event) => event.type),
      // pg sends a Buffer in binary format; PGlite serializes a plain array itself.
      db.kind === 'postgres' ? encodeByteaArray(events.map((event) => event.data)) : events.map((event) => asBuffer(event.data)),
    ];
  };

  return {
    db,
    schema,
    async appendMany(appends, tx) {
      if (appends.length === 0) return [];
      const params = appends.flatMap((a) => paramsOf(a.streamId, a.expectedVersion, a.events));
      // One statement: UNION ALL runs every call, in order; a failing call fails the statement.
      const sql = appends.map((_, i) => `SELECT ${i} AS i, next_version, xact_id::text AS transaction_id, positions FROM ${s}.append_events($${i * 5 + 1}, $${i * 5 + 2}, $${i * 5 + 3}, $${i * 5 + 4}, $${i * 5 + 5})`).join(' UNION ALL ');
      try {
        const rows = await (tx ?? db).query<{ i: number; next_version: number; transaction_id: string; positions: (string | number)[] }>(sql, params);
        return [...rows].sort((a, b) => a.i - b.i).map((row) => ({ nextVersion: row.next_version, transactionId: row.transaction_id, positions: row.positions.map(String) }));
      } catch (error) {
        throw toEventStoreError(error);
      }
    },
    async append(streamId, expectedVersion, events, tx) {
      const params = paramsOf(streamId, expectedVersion, events);
      try {
        const [row] = await (tx ?? db).query<{ next_version: number; transaction_id: string; positions: (string | number)[] }>(
          appendSql,
          params,
        );
        return { nextVersion: row.next_version, transactionId: row.transaction_id, positions: row.positions.map(String) };
      } catch (error) {
        throw toEventStoreError(error);
      }
    },
    async readStream(streamId, options = {}) {
      const rows = await (options.tx ?? db).query<EventRow>(readStreamSql, [
        streamId,
        options.fromVersion ?? 1,
        options.limit ?? null,
      ]);
      return rows.map(toStoredEvent);
    },
    async readStreams(streamIds, tx) {
      const byStream = new Map(streamIds.map((streamId) => [streamId, [] as StoredEvent[]]));
      if (byStream.size === 0) return byStream;
      const rows = await (tx ?? db).query<EventRow>(readStreamsSql, [[...byStream.keys()]]);
      for (const row of rows) byStream.get(row.stream_id)!.push(toStoredEvent(row));
      return byStream;
    },
    async streamVersion(streamId, tx) {
      const rows = await (tx ?? db).query<{ version: number }>(`SELECT version FROM ${s}.streams WHERE stream_id = $1`, [streamId]);
      return rows[0]?.version ?? 0;
    },
    async readAll(after, limit, tx) {
      const rows = await (tx ?? db).query<EventRow>(readAllSql, [after.transactionId, after.position, limit]);
      return rows.map(toStoredEvent);
    },
  };
}

function assertAppendable(streamId: string, expectedVersion: ExpectedVersion, events: readonly NewEvent[]): void {
  if (events.length === 0) throw new InvalidEventError(`Nothing to append to stream "${streamId}": pass at least one event.`);
  if (streamId === '' || streamId.includes('|')) {
    throw new InvalidEventError(`Stream id "${streamId}" is invalid: it must be non-empty and may not contain "|".`);
  }
  const badType = events.find((event) => event.type === '' || event.type.includes('|'));
  if (badType) throw new InvalidEventError(`Event type "${badType.type}" is invalid: it must be non-empty and may not contain "|".`);
  if (expectedVersion !== 'any' && !(Number.isInteger(expectedVersion) && expectedVersion >= 0)) {
    throw new InvalidEventError(`Expected version ${String(expectedVersion)} is invalid: use an integer >= 0 or 'any'.`);
  }
}

function asBuffer(data: Uint8Array): Buffer {
  return Buffer.isBuffer(data) ? data : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
}
