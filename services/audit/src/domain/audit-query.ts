import { EVENT_CONTEXT, type EventContext, type EventType, Subject } from '@mgov/contracts';
import { instant, invalid, oneOf, only, type RawQuery, text, withoutUndefined } from './query-parameters';

export { INVALID_QUERY } from './query-parameters';
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
  /** Link subjects the event must carry, all of them: `subject` plus the resolved aliases. */
  readonly subjects?: readonly string[];
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

const EVENT_TYPES = Object.keys(EVENT_CONTEXT) as EventType[];
const SERVICES = [...new Set(Object.values(EVENT_CONTEXT))].sort();
const POSITION = /^\d{1,18}$/;
const FILTERS = ['subject', 'model', 'modelVersion', 'datasetVersion', 'source', 'type', 'correlationId', 'actor', 'service', 'from', 'to'];
export const EXPORT_FORMATS = ['jsonl', 'csv'] as const;
export const PASSPORT_FORMATS = ['json', 'markdown', 'html'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];
export type PassportFormat = (typeof PASSPORT_FORMATS)[number];

/** An export: every matching event after `after`, without a page limit (it is streamed). */
export interface ExportQuery {
  readonly format: ExportFormat;
  readonly filter: Omit<EventFilter, 'limit'>;
}

function position(raw: RawQuery): string {
  const after = text(raw, 'after') ?? '0';
  if (!POSITION.test(after)) throw invalid('after must be a ledger position (a non-negative integer), as returned in nextCursor');
  return BigInt(after).toString();
}

function page(raw: RawQuery): Page {
  const limitText = text(raw, 'limit');
  const limit = limitText === undefined ? DEFAULT_LIMIT : /^\d{1,4}$/.test(limitText) ? Number(limitText) : NaN;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) throw invalid(`limit must be an integer from 1 to ${MAX_LIMIT}`);
  return { after: position(raw), limit };
}

/** Validates the query parameters of `GET /audit/events`; throws AUDIT.INVALID_QUERY. */
export function parseEventFilter(raw: RawQuery): EventFilter {
  only(raw, [...FILTERS, 'after', 'limit']);
  return { ...page(raw), ...filterOf(raw) };
}

/** Validates `GET /audit/export`: the event filters, `after`, and `format` (jsonl by default). */
export function parseExportQuery(raw: RawQuery): ExportQuery {
  only(raw, [...FILTERS, 'after', 'format']);
  return { format: oneOf(raw, 'format', EXPORT_FORMATS) ?? 'jsonl', filter: { after: position(raw), ...filterOf(raw) } };
}

/** Validates the query of a passport: only `format` (json by default). */
export function parsePassportFormat(raw: RawQuery): PassportFormat {
  only(raw, ['format']);
  return oneOf(raw, 'format', PASSPORT_FORMATS) ?? 'json';
}

/** The filters shared by the paged query and the export, without the page. */
export function filterOf(raw: RawQuery): Omit<EventFilter, keyof Page> {
  const subjects = subjectsOf(raw);
  const filter = {
    subjects: subjects.length > 0 ? subjects : undefined,
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

/**
 * The aliases name the link subjects the services put on their events, so `model=churn` asks
 * exactly what `subject=model:churn` asks; several given at once must all match.
 */
function subjectsOf(raw: RawQuery): string[] {
  const modelVersion = text(raw, 'modelVersion');
  const [, name, version] = /^(.+):([1-9]\d{0,8})$/.exec(modelVersion ?? '') ?? [];
  if (modelVersion !== undefined && !name) throw invalid('modelVersion must be <name>:<version>, e.g. churn:3');
  const subjects = [
    text(raw, 'subject'),
    prefixed('model', text(raw, 'model')),
    name ? Subject.modelVersion(name, Number(version)) : undefined,
    prefixed('dataset-version', text(raw, 'datasetVersion')),
    prefixed('source', text(raw, 'source')),
  ].filter((subject): subject is string => subject !== undefined);
  return [...new Set(subjects)].sort();
}

const prefixed = (kind: string, id: string | undefined) => (id === undefined ? undefined : `${kind}:${id}`);

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
