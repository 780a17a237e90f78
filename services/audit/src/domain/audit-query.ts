import { EVENT_CONTEXT, type EventContext, type EventType } from '@mgov/contracts';
import { DomainError } from '@mgov/decider';

export const INVALID_QUERY = 'AUDIT.INVALID_QUERY';
export const DEFAULT_LIMIT = 100;
export const MAX_LIMIT = 1000;

/** A page request over the ledger (or the access log): entries after a position, at most `limit`. */
export interface Page {
  /** A ledger position as a decimal string; '0' is before the first entry. */
  readonly after: string;
  readonly limit: number;
}

/** Which ledger events a governance query asks for; every given filter must match. */
export interface EventFilter extends Page {
  readonly subject?: string;
  readonly type?: EventType;
  readonly correlationId?: string;
  readonly actor?: string;
  readonly service?: EventContext;
  /** Inclusive lower bound on occurredAt, ISO 8601 in UTC. */
  readonly from?: string;
  /** Exclusive upper bound on occurredAt, ISO 8601 in UTC. */
  readonly to?: string;
}

export interface AccessLogFilter extends Page {
  readonly actor?: string;
}

export interface ModelVersionRef {
  readonly name: string;
  readonly version: number;
}

type RawQuery = Readonly<Record<string, unknown>>;

const EVENT_TYPES = Object.keys(EVENT_CONTEXT) as EventType[];
const SERVICES = [...new Set(Object.values(EVENT_CONTEXT))].sort();
const ISO_8601 = /^(\d{4})-(\d{2})-(\d{2})(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,6})?)?(?:Z|[+-]\d{2}:\d{2}))?$/;
const POSITION = /^\d{1,18}$/;
const MAX_TEXT = 512;

function invalid(message: string): DomainError {
  return new DomainError(INVALID_QUERY, message, 400);
}

/**
 * Unknown parameters are refused rather than ignored: a misspelt filter in an audit query would
 * otherwise silently widen the result to everything.
 */
function only(raw: RawQuery, allowed: readonly string[]): void {
  const unknown = Object.keys(raw).filter((key) => !allowed.includes(key));
  if (unknown.length > 0) throw invalid(`unknown query parameter(s) ${unknown.join(', ')}; use ${allowed.join(', ')}`);
}

function text(raw: RawQuery, name: string): string | undefined {
  const value = raw[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw invalid(`${name} must be given once, as a plain string`);
  if (value === '' || value.length > MAX_TEXT) throw invalid(`${name} must be 1 to ${MAX_TEXT} characters`);
  return value;
}

function oneOf<T extends string>(raw: RawQuery, name: string, allowed: readonly T[]): T | undefined {
  const value = text(raw, name);
  if (value !== undefined && !allowed.includes(value as T)) throw invalid(`${name} must be one of ${allowed.join(', ')}`);
  return value as T | undefined;
}

function instant(raw: RawQuery, name: string): string | undefined {
  const value = text(raw, name);
  if (value === undefined) return undefined;
  const match = ISO_8601.exec(value);
  const millis = Date.parse(value);
  const [, year, month, day] = match ?? [];
  const calendarDay = new Date(Date.UTC(Number(year), Number(month) - 1, Number(day)));
  if (!match || Number.isNaN(millis) || calendarDay.getUTCDate() !== Number(day) || calendarDay.getUTCMonth() !== Number(month) - 1) {
    throw invalid(`${name} must be an ISO 8601 date or date-time with a zone, e.g. 2030-01-31 or 2030-01-31T12:00:00Z`);
  }
  return new Date(millis).toISOString();
}

function page(raw: RawQuery): Page {
  const after = text(raw, 'after') ?? '0';
  if (!POSITION.test(after)) throw invalid('after must be a ledger position (a non-negative integer), as returned in nextCursor');
  const limitText = text(raw, 'limit');
  const limit = limitText === undefined ? DEFAULT_LIMIT : /^\d{1,4}$/.test(limitText) ? Number(limitText) : NaN;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) throw invalid(`limit must be an integer from 1 to ${MAX_LIMIT}`);
  return { after: BigInt(after).toString(), limit };
}

/** Validates the query parameters of `GET /audit/events`; throws AUDIT.INVALID_QUERY. */
export function parseEventFilter(raw: RawQuery): EventFilter {
  only(raw, ['subject', 'type', 'correlationId', 'actor', 'service', 'from', 'to', 'after', 'limit']);
  const filter: EventFilter = {
    ...page(raw),
    subject: text(raw, 'subject'),
    type: oneOf(raw, 'type', EVENT_TYPES),
    correlationId: text(raw, 'correlationId'),
    actor: text(raw, 'actor'),
    service: oneOf(raw, 'service', SERVICES),
    from: instant(raw, 'from'),
    to: instant(raw, 'to'),
  };
  if (filter.from && filter.to && filter.from > filter.to) throw invalid('from must not be later than to');
  return withoutUndefined(filter);
}

/** Validates the query parameters of `GET /audit/access-log`. */
export function parseAccessLogFilter(raw: RawQuery): AccessLogFilter {
  only(raw, ['actor', 'after', 'limit']);
  return withoutUndefined({ ...page(raw), actor: text(raw, 'actor') });
}

/** Validates `<name>/<version>` of a model version (version: a positive integer). */
export function parseModelVersionRef(name: unknown, version: unknown): ModelVersionRef {
  const ref = text({ name }, 'name');
  if (ref === undefined) throw invalid('a model name is required');
  const number = typeof version === 'number' ? version : typeof version === 'string' && /^[1-9]\d{0,8}$/.test(version) ? Number(version) : NaN;
  if (!Number.isSafeInteger(number) || number < 1) throw invalid('a model version must be a positive integer');
  return { name: ref, version: number };
}

function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
