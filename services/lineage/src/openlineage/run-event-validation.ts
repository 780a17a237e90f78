import { type Facets, RUN_EVENT_TYPES, type RunEvent, type RunEventDataset, type RunEventType } from './run-event';

export type RunEventValidation = { readonly ok: true; readonly event: RunEvent } | { readonly ok: false; readonly problems: readonly string[] };

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

/**
 * Checks a request body against the OpenLineage 2-0-x RunEvent schema (BaseEvent's eventTime,
 * producer and schemaURL; run.runId as a UUID; job and dataset identities; every facet's
 * `_producer` and `_schemaURL`) and says, per JSON path, everything that is wrong.
 */
export function validateRunEvent(body: unknown): RunEventValidation {
  const problems: string[] = [];
  const problem = (path: string, text: string) => void (problems.length < MAX_PROBLEMS && problems.push(`${path} ${text}`));
  if (Array.isArray(body)) return { ok: false, problems: ['the body is an array: send one RunEvent per request'] };
  if (!isObject(body)) return { ok: false, problems: ['the body must be a JSON object: one OpenLineage RunEvent'] };
  const schemaURL = typeof body.schemaURL === 'string' ? body.schemaURL : '';
  if (body.run === undefined && (body.dataset !== undefined || /#\/\$defs\/(Dataset|Job)Event$/.test(schemaURL))) {
    return { ok: false, problems: ['this is a DatasetEvent or JobEvent (static lineage); only RunEvents are accepted'] };
  }

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
  const datasets = (value: unknown, path: string, ioFacets: 'inputFacets' | 'outputFacets'): RunEventDataset[] => {
    if (value === undefined) return [];
    if (!Array.isArray(value)) {
      problem(path, 'must be an array of datasets');
      return [];
    }
    return value.flatMap((dataset: unknown, i) => {
      const at = `${path}[${i}]`;
      if (!isObject(dataset)) {
        problem(at, 'must be a dataset object {namespace, name}');
        return [];
      }
      facets(dataset[ioFacets], `${at}.${ioFacets}`);
      return [{ namespace: text(dataset.namespace, `${at}.namespace`, true), name: text(dataset.name, `${at}.name`, true), facets: facets(dataset.facets, `${at}.facets`) }];
    });
  };

  const eventTime = text(body.eventTime, 'eventTime', true);
  const eventTimeMs = eventTime ? parseEventTime(eventTime) : null;
  if (eventTime && eventTimeMs === null) problem('eventTime', `must be an ISO 8601 date-time such as 2025-01-31T12:00:00Z, not ${JSON.stringify(eventTime)}`);
  const producer = uri(body.producer, 'producer');
  uri(body.schemaURL, 'schemaURL');
  const version = SPEC_VERSION.exec(schemaURL)?.[1];
  if (version && Number(version) > 2) problem('schemaURL', `names spec ${version}-x; this endpoint speaks 2-0-x`);
  let eventType: RunEventType | null = null;
  if (body.eventType !== undefined && body.eventType !== null) {
    if ((RUN_EVENT_TYPES as readonly unknown[]).includes(body.eventType)) eventType = body.eventType as RunEventType;
    else problem('eventType', `must be one of ${RUN_EVENT_TYPES.join(', ')}, not ${JSON.stringify(body.eventType)}`);
  }

  let runId = '';
  let parentRun: RunEvent['parentRun'] = null;
  if (!isObject(body.run)) problem('run', body.run === undefined ? 'is required' : 'must be an object {runId, facets}');
  else {
    runId = text(body.run.runId, 'run.runId', true);
    if (runId && !UUID.test(runId)) problem('run.runId', `must be a UUID, not ${JSON.stringify(runId)}`);
    const runFacets = facets(body.run.facets, 'run.facets');
    const parent = runFacets.parent;
    if (parent !== undefined) {
      const run = isObject(parent.run) ? parent.run : {};
      const job = isObject(parent.job) ? parent.job : {};
      const parentId = text(run.runId, 'run.facets.parent.run.runId', true);
      if (parentId && !UUID.test(parentId)) problem('run.facets.parent.run.runId', 'must be a UUID');
      parentRun = { runId: parentId.toLowerCase(), jobNamespace: text(job.namespace, 'run.facets.parent.job.namespace', true), jobName: text(job.name, 'run.facets.parent.job.name', true) };
    }
  }
  let job = { namespace: '', name: '' };
  if (!isObject(body.job)) problem('job', body.job === undefined ? 'is required' : 'must be an object {namespace, name, facets}');
  else {
    job = { namespace: text(body.job.namespace, 'job.namespace', true), name: text(body.job.name, 'job.name', true) };
    facets(body.job.facets, 'job.facets');
  }
  const inputs = datasets(body.inputs, 'inputs', 'inputFacets');
  const outputs = datasets(body.outputs, 'outputs', 'outputFacets');

  if (problems.length > 0 || eventTimeMs === null) return { ok: false, problems };
  return { ok: true, event: { eventType, eventTime, eventTimeMs, producer, schemaURL, runId: runId.toLowerCase(), parentRun, job, inputs, outputs } };
}
