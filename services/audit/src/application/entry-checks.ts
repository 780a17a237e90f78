import { createHash } from 'node:crypto';
import { type AvroCodec, EVENT_CONTEXT, type EnvelopedEvent } from '@mgov/contracts';
import { type LedgerRow, traceIdOf } from './ledger-row';

/** The prev_hash of the ledger's first entry. */
export const LEDGER_GENESIS: Buffer = Buffer.alloc(32);

/** The link to the entry before. */
export function brokenLink(row: Pick<LedgerRow, 'prev_hash'>, previous: Buffer): string | null {
  return row.prev_hash.equals(previous)
    ? null
    : 'prev_hash is not the hash of the previous entry: an entry was removed, inserted or reordered before this one';
}

/** The entry's own hash, recomputed from its stored bytes. */
export function ownHashProblem(row: Pick<LedgerRow, 'prev_hash' | 'payload' | 'hash'>): string | null {
  const expected = createHash('sha256').update(row.prev_hash).update(row.payload).digest();
  return expected.equals(row.hash) ? null : 'hash is not sha256(prev_hash || payload): the stored payload or hash was altered';
}

/** The searchable columns are copies; each must still say what the hashed payload says. */
export function columnMismatch(row: LedgerRow, codec: AvroCodec): string | null {
  let event: EnvelopedEvent;
  try {
    event = codec.decodeEvent(row.payload);
  } catch (error) {
    return `payload does not decode: ${(error as Error).message}`;
  }
  const e = event.envelope;
  const expected: Record<string, unknown> = {
    event_id: e.eventId.toLowerCase(), event_type: event.type, stream_id: e.streamId, stream_version: e.streamVersion,
    occurred_ms: String(e.occurredAt), actor_id: e.actor.id, actor_role: e.actor.role, correlation_id: e.correlationId,
    causation_id: e.causationId, trace_id: traceIdOf(e.traceparent), links: [...e.links],
  };
  if (EVENT_CONTEXT[event.type]) expected.source_service = EVENT_CONTEXT[event.type];
  const differing = Object.keys(expected).filter((column) => !sameValue(row[column as keyof LedgerRow], expected[column]));
  return differing.length === 0 ? null : `column(s) ${differing.join(', ')} disagree with the hashed payload`;
}

// Element-wise rather than deep-equal: a driver may hand back arrays from another realm.
function sameValue(stored: unknown, expected: unknown): boolean {
  if (Array.isArray(stored) && Array.isArray(expected)) {
    return stored.length === expected.length && stored.every((item, i) => item === expected[i]);
  }
  return stored === expected;
}
