import { type DatasetEvent, type Facets, type JobEvent, RUN_EVENT_TYPES, type RunEvent, type RunEventDataset, type RunEventType } from './run-event';

export type OpenLineageValidation<E> = { readonly ok: true; readonly event: E } | { readonly ok: false; readonly problems: readonly string[] };
export type RunEventValidation = OpenLineageValidation<RunEvent>;

type Json = Record<string, unknown>;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
// RFC 3986 scheme, then no whitespace: what JSON Schema's `format: uri` asks of producer and schema URLs.
const URI = /^[A-Za-z][A-Za-z0-9+.-]*:\S+$/;
// ISO 8601 date-time. RFC 3339 wants an offset, but real integrations send naive times: read those as UTC.
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?(Z|[+-]\d{2}:?\d{2})?$/i;
const SPEC_VERSION = /\/spec\/(\d+)-\d+-\d+\//;
const MAX_PROBLEMS = 20;

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Epoch ms of an ISO 8601 date-time, or null when it is not one (including impossible dates such as 02-30). */
export function parseEventTime(text: string): number | null {
  const m = DATE_TIME.exec(text);
  if (!m) return null;
  const [, y, mo, d, h, mi, s = '0', fraction = '0', zone = 'Z'] = m;
  const local = Date.UTC(+y, +mo - 1, +d, +h, +mi, +s, Math.floor(Number(`0.${fraction}`) * 1000));
  const check = new Date(local);
  if (check.getUTCMonth() !== +mo - 1 || check.getUTCDate() !== +d || check.getUTCHours() !== +h || +mi > 59 || +s > 60) return null;
  if (zone.toUpperCase() === 'Z') return local;
  const sign = zone.startsWith('-') ? -1 : 1;
  const digits = zone.slice(1).replace(':', '');
  return local - sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2))) * 60_000;
}

/** The checks every OpenLineage event shares, collecting problems by JSON path. */
function checker() {
  const problems: string[] = [];
  const problem = (path: string, text: string) => void (problems.length < MAX_PROBLEMS && problems.push(`${path} ${text}`));
  const text = (value: unknown, path: string, required: boolean): string => {
    if (value === undefined && !required) return '';
    if (typeof value !== 'string' || value.trim() === '') problem(path, value === undefined ? 'is required' : 'must be a non-empty string');
    return typeof value === 'string' ? value : '';
  };
  const uri = (value: unknown, path: string) => {
    const given = text(value, path, true);
    if (given && !URI.test(given)) problem(path, `must be a URI (scheme:…), not ${JSON.stringify(given)}`);
    return given;
  };
  const facets = (value: unknown, path: string): Facets => {
    if (value === undefined) return {};
    if (!isObject(value)) {
      problem(path, 'must be an object of facets');
      return {};
    }
    for (const [name, facet] of Object.entries(value)) {
      if (!isObject(facet)) {
        problem(`${path}.${name}`, 'must be a facet object');
        continue;
      }
      uri(facet._producer, `${path}.${name}._producer`);
      uri(facet._schemaURL, `${path}.${name}._schemaURL`);
      if (facet._deleted !== undefined && typeof facet._deleted !== 'boolean') problem(`${path}.${name}._deleted`, 'must be a boolean');
    }
    return value as Facets;
  };
  const dataset = (value: unknown, at: string, ioFacets?: 'inputFacets' | 'outputFacets'): RunEventDataset[] => {
    if (!isObject(value)) {
      problem(at, value === undefined ? 'is required' : 'must be a dataset object {namespace, name}');
      return [];
    }
    if (ioFacets) facets(value[ioFacets], `${at}.${ioFacets}`);
    return [{ namespace: text(value.namespace, `${at}.namespace`, true), name: text(value.name, `${at}.name`, true), facets: facets(value.facets, `${at}.facets`) }];
  };
  const datasets = (value: unknown, path: string, ioFacets: 'inputFacets' | 'outputFacets'): RunEventDataset[] => {
    if (value === undefined) return [];
    if (!Array.isArray(value)) {
      problem(path, 'must be an array of datasets');
      return [];
    }
    return value.flatMap((entry: unknown, i) => dataset(entry, `${path}[${i}]`, ioFacets));
  };
  /** BaseEvent: eventTime, producer, schemaURL (2-0-x). */
  const base = (body: Json) => {
    const eventTime = text(body.eventTime, 'eventTime', true);
    const eventTimeMs = eventTime ? parseEventTime(eventTime) : null;
    if (eventTime && eventTimeMs === null) problem('eventTime', `must be an ISO 8601 date-time such as 2025-01-31T12:00:00Z, not ${JSON.stringify(eventTime)}`);
    const producer = uri(body.producer, 'producer');
    const schemaURL = uri(body.schemaURL, 'schemaURL');
    const version = SPEC_VERSION.exec(schemaURL)?.[1];
    if (version && Number(version) > 2) problem('schemaURL', `names spec ${version}-x; this endpoint speaks 2-0-x`);
    return { eventTime, eventTimeMs, producer, schemaURL };
  };
  const job = (value: unknown) => {
    if (!isObject(value)) {
      problem('job', value === undefined ? 'is required' : 'must be an object {namespace, name, facets}');
      return { namespace: '', name: '' };
    }
    const identity = { namespace: text(value.namespace, 'job.namespace', true), name: text(value.name, 'job.name', true) };
    facets(value.facets, 'job.facets');
    return identity;
  };
  return { problems, problem, text, facets, dataset, datasets, base, job };
}

const notAnObject = (body: unknown): string[] | null => {
  if (Array.isArray(body)) return ['the body is an array: send one OpenLineage event per request'];
  if (!isObject(body)) return ['the body must be a JSON object: one OpenLineage event'];
  return null;
};

/**
 * Checks a request body against the OpenLineage 2-0-x RunEvent schema (BaseEvent's eventTime,
 * producer and schemaURL; run.runId as a UUID; job and dataset identities; every facet's
 * `_producer` and `_schemaURL`) and says, per JSON path, everything that is wrong.
 */
export function validateRunEvent(body: unknown): RunEventValidation {
  const refused = notAnObject(body);
  if (refused) return { ok: false, problems: refused };
  const event = body as Json;
  const check = checker();
  const { eventTime, eventTimeMs, producer, schemaURL } = check.base(event);
  let eventType: RunEventType | null = null;
  if (event.eventType !== undefined && event.eventType !== null) {
    if ((RUN_EVENT_TYPES as readonly unknown[]).includes(event.eventType)) eventType = event.eventType as RunEventType;
    else check.problem('eventType', `must be one of ${RUN_EVENT_TYPES.join(', ')}, not ${JSON.stringify(event.eventType)}`);
  }

  let runId = '';
  let parentRun: RunEvent['parentRun'] = null;
  if (!isObject(event.run)) check.problem('run', event.run === undefined ? 'is required' : 'must be an object {runId, facets}');
  else {
    runId = check.text(event.run.runId, 'run.runId', true);
    if (runId && !UUID.test(runId)) check.problem('run.runId', `must be a UUID, not ${JSON.stringify(runId)}`);
    const runFacets = check.facets(event.run.facets, 'run.facets');
    const parent = runFacets.parent;
    if (parent !== undefined) {
      const run = isObject(parent.run) ? parent.run : {};
      const job = isObject(parent.job) ? parent.job : {};
      const parentId = check.text(run.runId, 'run.facets.parent.run.runId', true);
      if (parentId && !UUID.test(parentId)) check.problem('run.facets.parent.run.runId', 'must be a UUID');
      parentRun = {
        runId: parentId.toLowerCase(), jobNamespace: check.text(job.namespace, 'run.facets.parent.job.namespace', true), jobName: check.text(job.name, 'run.facets.parent.job.name', true),
      };
    }
  }
  const job = check.job(event.job);
  const inputs = check.datasets(event.inputs, 'inputs', 'inputFacets');
  const outputs = check.datasets(event.outputs, 'outputs', 'outputFacets');

  if (check.problems.length > 0 || eventTimeMs === null) return { ok: false, problems: check.problems };
  return { ok: true, event: { eventType, eventTime, eventTimeMs, producer, schemaURL, runId: runId.toLowerCase(), parentRun, job, inputs, outputs } };
}

/** A JobEvent (static lineage, e.g. from dbt): a job and the datasets it reads and writes, without a run. */
export function validateJobEvent(body: unknown): OpenLineageValidation<JobEvent> {
  const refused = notAnObject(body);
  if (refused) return { ok: false, problems: refused };
  const event = body as Json;
  const check = checker();
  const { eventTime, eventTimeMs, producer, schemaURL } = check.base(event);
  const job = check.job(event.job);
  const inputs = check.datasets(event.inputs, 'inputs', 'inputFacets');
  const outputs = check.datasets(event.outputs, 'outputs', 'outputFacets');
  if (check.problems.length > 0 || eventTimeMs === null) return { ok: false, problems: check.problems };
  return { ok: true, event: { eventTime, eventTimeMs, producer, schemaURL, job, inputs, outputs } };
}

/** A DatasetEvent (static metadata): one dataset and its facets (schema, ownership, …), without job or run. */
export function validateDatasetEvent(body: unknown): OpenLineageValidation<DatasetEvent> {
  const refused = notAnObject(body);
  if (refused) return { ok: false, problems: refused };
  const event = body as Json;
  const check = checker();
  const { eventTime, eventTimeMs, producer, schemaURL } = check.base(event);
  const [dataset] = check.dataset(event.dataset, 'dataset');
  if (check.problems.length > 0 || eventTimeMs === null || !dataset) return { ok: false, problems: check.problems };
  return { ok: true, event: { eventTime, eventTimeMs, producer, schemaURL, dataset } };
}

/**
 * Which of the three 2-0-x event kinds a body is: the spec's `schemaURL` fragment when it names one,
 * otherwise its shape (a `run` makes a RunEvent, a `dataset` a DatasetEvent, a bare `job` a JobEvent).
 */
export function openLineageEventKind(body: unknown): 'run' | 'job' | 'dataset' {
  if (!isObject(body)) return 'run';
  const named = typeof body.schemaURL === 'string' ? /#\/\$defs\/(Run|Job|Dataset)Event$/.exec(body.schemaURL)?.[1] : undefined;
  if (named) return named.toLowerCase() as 'run' | 'job' | 'dataset';
  if (body.run !== undefined) return 'run';
  if (body.dataset !== undefined) return 'dataset';
  return body.job !== undefined ? 'job' : 'run';
}
