import { createHash } from 'node:crypto';

/** The prev_hash of a stream's first event. */
export const GENESIS_HASH: Buffer = Buffer.alloc(32);

export interface ChainedEvent {
  readonly eventId: string;
  readonly streamId: string;
  readonly streamVersion: number;
  readonly type: string;
  readonly data: Uint8Array;
}

/**
 * sha256(prev_hash ‖ utf8(event_id|stream_id|stream_version|type) ‖ data): exactly what
 * `append_events` computes in the database, recomputed here from the stored bytes.
 */
export function chainHash(prevHash: Uint8Array, event: ChainedEvent): Buffer {
  return createHash('sha256')
    .update(prevHash)
    .update(`${event.eventId}|${event.streamId}|${event.streamVersion}|${event.type}`, 'utf8')
    .update(event.data)
    .digest();
}
