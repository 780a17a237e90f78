import { DomainError } from '@mgov/decider';

export const INVALID_QUERY = 'AUDIT.INVALID_QUERY';

export type RawQuery = Readonly<Record<string, unknown>>;

const ISO_8601 = /^(\d{4})-(\d{2})-(\d{2})(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,6})?)?(?:Z|[+-]\d{2}:\d{2}))?$/;
const MAX_TEXT = 512;

export function invalid(message: string): DomainError {
  return new DomainError(INVALID_QUERY, message, 400);
}

/**
 * Unknown parameters are refused rather than ignored: a misspelt filter in an audit query would
 * otherwise silently widen the result to everything.
 */
export function only(raw: RawQuery, allowed: readonly string[]): void {
  const unknown = Object.keys(raw).filter((key) => !allowed.includes(key));
  if (unknown.length > 0) throw invalid(`unknown query parameter(s) ${unknown.join(', ')}; use ${allowed.join(', ')}`);
}

export function text(raw: RawQuery, name: string): string | undefined {
  const value = raw[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw invalid(`${name} must be given once, as a plain string`);
  if (value === '' || value.length > MAX_TEXT) throw invalid(`${name} must be 1 to ${MAX_TEXT} characters`);
  return value;
}

export function oneOf<T extends string>(raw: RawQuery, name: string, allowed: readonly T[]): T | undefined {
  const value = text(raw, name);
  if (value !== undefined && !allowed.includes(value as T)) throw invalid(`${name} must be one of ${allowed.join(', ')}`);
  return value as T | undefined;
}

export function instant(raw: RawQuery, name: string): string | undefined {
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

export function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
