import type { Checkpoint, StoredEvent } from './stored-event';

/** The columns every read selects, in the shape both adapters return them. */
export const EVENT_COLUMNS =
  'position, transaction_id, stream_id, stream_version, event_id, type, data, recorded_at, prev_hash, hash';

export interface EventRow {
  readonly position: string;
  readonly transaction_id: string;
  readonly stream_id: string;
  readonly stream_version: number;
  readonly event_id: string;
  readonly type: string;
  readonly data: Buffer;
  readonly recorded_at: Date;
  readonly prev_hash: Buffer;
  readonly hash: Buffer;
}

export function toStoredEvent(row: EventRow): StoredEvent {
  return {
    position: row.position,
    transactionId: row.transaction_id,
    streamId: row.stream_id,
    streamVersion: row.stream_version,
    eventId: row.event_id,
    type: row.type,
    data: row.data,
    recordedAt: row.recorded_at,
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}

/** The checkpoint just after `event` in the global (transaction id, position) order. */
export function checkpointAfter(event: Pick<StoredEvent, 'transactionId' | 'position'>): Checkpoint {
  return { transactionId: event.transactionId, position: event.position };
}
