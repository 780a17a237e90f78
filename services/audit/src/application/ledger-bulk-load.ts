import { createHash } from 'node:crypto';
import type { Sql } from '@mgov/event-store';
import { type Appended, type LedgerEntry, serviceOf } from './ledger';
import { ledgerSchema } from './ledger.sql';
import { traceIdOf } from './ledger-row';

const arrayLiteral = (items: readonly string[]) => `{${items.map((item) => `"${item.replace(/["\\]/g, '\\$&')}"`).join(',')}}`;

/**
 * Appends many new events in the caller's transaction with one INSERT: the chain is computed here,
 * sha256(prev_hash ‖ payload) from the locked head onwards, exactly as `appendToLedger` computes
 * it in SQL one event at a time. For loading fresh events (imports, benchmarks): an event id
 * already in the ledger fails the whole batch instead of being skipped.
 */
export async function bulkAppendToLedger(tx: Sql, schema: string, entries: readonly LedgerEntry[]): Promise<Appended | null> {
  if (entries.length === 0) return null;
  const s = ledgerSchema(schema);
  const [head] = await tx.query<{ last_hash: Buffer }>(`SELECT last_hash FROM ${s}.ledger_head WHERE singleton FOR UPDATE`);
  let previous = head.last_hash;
  const columns: unknown[][] = Array.from({ length: 18 }, () => []);
  for (const { event, payload, source } of entries) {
    const e = event.envelope;
    const hash = createHash('sha256').update(previous).update(payload).digest();
    const row = [
      e.eventId, event.type, serviceOf(event, source.topic), e.streamId, e.streamVersion, new Date(e.occurredAt).toISOString(),
      e.actor.id, e.actor.role, e.correlationId, e.causationId, traceIdOf(e.traceparent), arrayLiteral(e.links),
      source.topic, source.partition, source.offset, payload.toString('hex'), previous.toString('hex'), hash.toString('hex'),
    ];
    row.forEach((value, i) => columns[i].push(value));
    previous = hash;
  }
  const inserted = await tx.query<{ position: string }>(
    `INSERT INTO ${s}.ledger (
       event_id, event_type, source_service, stream_id, stream_version, occurred_at, actor_id, actor_role,
       correlation_id, causation_id, trace_id, links, source_topic, source_partition, source_offset, payload, prev_hash, hash)
     SELECT u.event_id, u.event_type, u.source_service, u.stream_id, u.stream_version, u.occurred_at, u.actor_id, u.actor_role,
            u.correlation_id, u.causation_id, u.trace_id, u.links::text[], u.source_topic, u.source_partition, u.source_offset,
            decode(u.payload, 'hex'), decode(u.prev_hash, 'hex'), decode(u.hash, 'hex')
       FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::int[], $6::timestamptz[], $7::text[], $8::text[],
                   $9::text[], $10::text[], $11::text[], $12::text[], $13::text[], $14::int[], $15::bigint[], $16::text[], $17::text[], $18::text[])
            WITH ORDINALITY AS u(event_id, event_type, source_service, stream_id, stream_version, occurred_at, actor_id, actor_role,
                                 correlation_id, causation_id, trace_id, links, source_topic, source_partition, source_offset, payload, prev_hash, hash, ord)
      ORDER BY u.ord
     RETURNING position`,
    columns,
  );
  // Chain order is position order: refuse a batch whose positions came out in another order.
  const positions = inserted.map((row) => BigInt(row.position));
  if (positions.some((position, i) => i > 0 && position <= positions[i - 1])) throw new Error('bulk append: positions were not assigned in input order');
  const last = inserted[inserted.length - 1].position;
  await tx.query(`UPDATE ${s}.ledger_head SET last_position = $1, entries = entries + $2, last_hash = $3 WHERE singleton`, [last, entries.length, previous]);
  return { position: last, hash: previous };
}
