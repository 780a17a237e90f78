import type { DomainEvent } from '@mgov/contracts';
import type { Block, PassportEvent } from './passport-document';

export type DataOf<T extends string> = T extends DomainEvent['type'] ? Extract<DomainEvent, { type: T }>['data'] : Record<string, unknown>;

/** How one event type shows as a table row: column title → cell text. */
export interface EventView {
  readonly type: string;
  readonly caption: string;
  readonly columns: Readonly<Record<string, (data: never, event: PassportEvent) => string>>;
}

/**
 * A passport section: which event types it collects and how it renders them. The default renderer
 * draws one table per event type from its view, so a new event type needs only a view.
 */
export interface SectionSpec {
  readonly id: string;
  readonly title: string;
  readonly empty: string;
  readonly views: readonly EventView[];
  /** Event types collected without a view, for a section whose renderer reads them itself. */
  readonly extraTypes?: readonly string[];
  /**
   * Event types of this kind that have no view yet (e.g. /Privacy|Bias/): collected here and drawn
   * as a generic table, so a new kind of result lands in its section before anyone writes a view.
   */
  readonly claims?: RegExp;
  readonly render?: (events: readonly PassportEvent[], spec: SectionSpec) => Block[];
}

export function view<T extends DomainEvent['type']>(
  type: T, caption: string, columns: Record<string, (data: DataOf<T>, event: PassportEvent) => string>,
): EventView {
  return { type, caption, columns };
}

/** Cells for a view's columns: when the event occurred and who caused it. */
export const at = (_data: unknown, event: PassportEvent) => event.occurredAt;
export const by = (_data: unknown, event: PassportEvent) => event.actor.id;
export const list = (values: readonly unknown[]) => (values.length === 0 ? '—' : values.map(String).join(', '));
export const pairs = (record: Readonly<Record<string, unknown>>) => list(Object.entries(record).map(([k, v]) => `${k}=${v}`));
export const instant = (millis: number) => new Date(millis).toISOString();

/** One table per view, rows in ledger order, then claimed types without a view; empty tables are left out. */
export function tablesByType(events: readonly PassportEvent[], spec: SectionSpec): Block[] {
  const viewed = spec.views.flatMap((v): Block[] => {
    const rows = events.filter((e) => e.type === v.type).map((e) =>
      Object.values(v.columns).map((cell) => (cell as (data: unknown, event: PassportEvent) => string)(e.data, e)));
    return rows.length === 0 ? [] : [{ kind: 'table', caption: v.caption, columns: Object.keys(v.columns), rows }];
  });
  const known = new Set([...spec.views.map((v) => v.type), ...(spec.extraTypes ?? [])]);
  return [...viewed, ...genericTable(events.filter((e) => !known.has(e.type)))];
}

/** Any event, whatever its type: the fallback for types no section knows yet. */
export function genericTable(events: readonly PassportEvent[]): Block[] {
  if (events.length === 0) return [];
  const shorten = (text: string) => (text.length > 240 ? `${text.slice(0, 239)}…` : text);
  return [{
    kind: 'table',
    columns: ['Position', 'Type', 'At', 'Actor', 'Stream', 'Data'],
    rows: events.map((e) => [e.position, e.type, e.occurredAt, e.actor.id, e.streamId, shorten(JSON.stringify(e.data))]),
  }];
}
