import type { EventFilter } from '@mgov/audit-domain';

/**
 * The WHERE clause of a governance query, with `$1` the position to start after. Every condition
 * has an index whose leading column it compares (links: GIN), each followed by position.
 */
export function eventConditions(filter: Omit<EventFilter, 'limit'>): { where: string[]; params: unknown[] } {
  const params: unknown[] = [filter.after];
  const where = ['position > $1'];
  const add = (condition: (placeholder: string) => string, value: unknown) => where.push(condition(`$${params.push(value)}`));
  if (filter.subjects !== undefined) add((p) => `links @> ${p}::text[]`, [...filter.subjects]);
  if (filter.type !== undefined) add((p) => `event_type = ${p}`, filter.type);
  if (filter.correlationId !== undefined) add((p) => `correlation_id = ${p}`, filter.correlationId);
  if (filter.actor !== undefined) add((p) => `actor_id = ${p}`, filter.actor);
  if (filter.service !== undefined) add((p) => `source_service = ${p}`, filter.service);
  if (filter.from !== undefined) add((p) => `occurred_at >= ${p}::timestamptz`, filter.from);
  if (filter.to !== undefined) add((p) => `occurred_at < ${p}::timestamptz`, filter.to);
  return { where, params };
}
