import type { Actor, AvroCodec } from '@mgov/contracts';

/** The ledger columns every reader selects; times come back as epoch milliseconds in both adapters. */
export const LEDGER_COLUMNS = `position, event_id, event_type, source_service, stream_id, stream_version,
  (extract(epoch from occurred_at) * 1000)::bigint AS occurred_ms, (extract(epoch from recorded_at) * 1000)::bigint AS recorded_ms,
  actor_id, actor_role, correlation_id, causation_id, trace_id, links, source_topic, source_partition, source_offset,
  payload, prev_hash, hash`;

export interface LedgerRow {
  position: string;
  event_id: string;
  event_type: string;
  source_service: string;
  stream_id: string;
  stream_version: number;
  occurred_ms: string;
  recorded_ms: string;
  actor_id: string;
  actor_role: string;
  correlation_id: string;
  causation_id: string | null;
  trace_id: string | null;
  links: string[];
  source_topic: string;
  source_partition: number | null;
  source_offset: string | null;
  payload: Buffer;
  prev_hash: Buffer;
  hash: Buffer;
}

/** One ledger entry as the governance query API returns it. */
export interface AuditEvent {
  readonly position: string;
  readonly eventId: string;
  readonly type: string;
  readonly service: string;
  readonly streamId: string;
  readonly streamVersion: number;
  readonly occurredAt: string;
  readonly recordedAt: string;
  readonly actor: Actor;
  readonly correlationId: string;
  readonly causationId: string | null;
  readonly traceId: string | null;
  readonly links: readonly string[];
  readonly data: unknown;
  readonly hash: string;
  readonly prevHash: string;
}

/** The W3C trace id inside a `traceparent` (version-traceid-parentid-flags), or null. */
export function traceIdOf(traceparent: string | null | undefined): string | null {
  const match = /^[\da-f]{2}-([\da-f]{32})-[\da-f]{16}-[\da-f]{2}/.exec(traceparent ?? '');
  return match && !/^0+$/.test(match[1]) ? match[1] : null;
}

/** `data` is decoded from the hashed payload itself, never from a derived column. */
export function toAuditEvent(row: LedgerRow, codec: AvroCodec): AuditEvent {
  return {
    position: row.position,
    eventId: row.event_id,
    type: row.event_type,
    service: row.source_service,
    streamId: row.stream_id,
    streamVersion: row.stream_version,
    occurredAt: new Date(Number(row.occurred_ms)).toISOString(),
    recordedAt: new Date(Number(row.recorded_ms)).toISOString(),
    actor: { id: row.actor_id, role: row.actor_role },
    correlationId: row.correlation_id,
    causationId: row.causation_id,
    traceId: row.trace_id,
    links: row.links,
    data: codec.decodeEvent(row.payload).data,
    hash: row.hash.toString('hex'),
    prevHash: row.prev_hash.toString('hex'),
  };
}
