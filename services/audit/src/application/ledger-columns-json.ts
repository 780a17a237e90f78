import { type Envelope, EVENT_CONTEXT, type EventType } from '@mgov/contracts';
import { type LedgerRow, traceIdOf } from './ledger-row';

/**
 * The searchable columns as one JSON array, written by PostgreSQL: json_build_array puts ", "
 * between members and writes a text[] member as `["x","y"]`, and escapes strings as
 * JSON.stringify does, so `columnsJson` rebuilds the same text from the hashed payload.
 */
const COLUMNS_JSON_SQL = `json_build_array(event_id, event_type, source_service, stream_id, stream_version,
  (extract(epoch from occurred_at) * 1000)::bigint, actor_id, actor_role, correlation_id, causation_id, trace_id, links)::text AS columns_json`;

/** What chain verification reads per entry. */
export const VERIFY_COLUMNS = `position, payload, prev_hash, hash, ${COLUMNS_JSON_SQL}`;

export type VerifyRow = Pick<LedgerRow, 'position' | 'payload' | 'prev_hash' | 'hash'> & { columns_json: string };

/** The text the searchable columns must have if they say what the payload says. */
export function columnsJson(type: string, e: Envelope): string {
  const members = [
    e.eventId.toLowerCase(), type, EVENT_CONTEXT[type as EventType] ?? null, e.streamId, e.streamVersion, e.occurredAt,
    e.actor.id, e.actor.role, e.correlationId, e.causationId, traceIdOf(e.traceparent),
  ].map((member) => JSON.stringify(member));
  return `[${members.join(', ')}, ${JSON.stringify(e.links)}]`;
}
