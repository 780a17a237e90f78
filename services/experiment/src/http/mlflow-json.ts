import { DomainError } from '@mgov/decider';
import type { KeyValue, MetricPoint } from '@mgov/experiment-domain';

/**
 * Reading MLflow's protobuf-JSON requests: int64 may come as a number or a decimal string, a double
 * as a number or "NaN"/"Infinity"/"-Infinity", and a wrong type is INVALID_PARAMETER_VALUE naming the field.
 */
const bad = (message: string) => new DomainError('EXPERIMENT.INVALID_PARAMETER_VALUE', message, 400);
type Body = Record<string, unknown>;

export function body(value: unknown): Body {
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) throw bad('the request body must be a JSON object');
  return value as Body;
}

export function requiredString(b: Body, field: string, ...aliases: string[]): string {
  const value = optionalString(b, field, ...aliases);
  if (value === undefined || value === '') throw bad(`Missing value for required parameter '${field}'. See the API docs for more information about request parameters.`);
  return value;
}

export function optionalString(b: Body, field: string, ...aliases: string[]): string | undefined {
  for (const name of [field, ...aliases]) {
    const value = b[name];
    if (value === undefined || value === null) continue;
    if (typeof value !== 'string') throw bad(`Invalid value ${JSON.stringify(value)} for parameter '${name}' supplied: it must be a string`);
    return value;
  }
  return undefined;
}

export function optionalInt(b: Body, field: string): number | undefined {
  const value = b[field];
  if (value === undefined || value === null) return undefined;
  const n = typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isSafeInteger(n)) throw bad(`Invalid value ${JSON.stringify(value)} for parameter '${field}' supplied: it must be an integer`);
  return n;
}

export function double(value: unknown, field: string): number {
  if (typeof value === 'number') return value;
  if (value === 'NaN') return Number.NaN;
  if (value === 'Infinity') return Number.POSITIVE_INFINITY;
  if (value === '-Infinity') return Number.NEGATIVE_INFINITY;
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value);
  throw bad(`Invalid value ${JSON.stringify(value)} for parameter '${field}' supplied: it must be a number (or "NaN", "Infinity", "-Infinity")`);
}

function list(b: Body, field: string): Body[] {
  const value = b[field];
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw bad(`Invalid value for parameter '${field}' supplied: it must be a list`);
  return value.map((item, i) => {
    if (typeof item !== 'object' || item === null || Array.isArray(item)) throw bad(`${field}[${i}] must be an object`);
    return item as Body;
  });
}

export function stringList(b: Body, field: string): string[] {
  const value = b[field];
  if (value === undefined || value === null) return [];
  const items = Array.isArray(value) ? value : [value];
  if (items.some((item) => typeof item !== 'string')) throw bad(`Invalid value for parameter '${field}' supplied: it must be a list of strings`);
  return items as string[];
}

export function keyValues(b: Body, field: string): KeyValue[] {
  return list(b, field).map((item, i) => ({ key: requiredString(item, 'key'), value: stringValue(item.value, `${field}[${i}].value`) }));
}

function stringValue(value: unknown, field: string): string {
  if (value === undefined || value === null) return '';
  if (typeof value !== 'string') throw bad(`Invalid value ${JSON.stringify(value)} for parameter '${field}' supplied: it must be a string`);
  return value;
}

export function metricPoint(item: Body, field: string, now: number): MetricPoint {
  if (item.value === undefined || item.value === null) throw bad(`Missing value for required parameter '${field}.value'`);
  return {
    key: requiredString(item, 'key'),
    value: double(item.value, `${field}.value`),
    timestamp: optionalInt(item, 'timestamp') ?? now,
    step: optionalInt(item, 'step') ?? 0,
  };
}

export function metricPoints(b: Body, field: string, now: number): MetricPoint[] {
  return list(b, field).map((item, i) => metricPoint(item, `${field}[${i}]`, now));
}

export function datasetInputs(b: Body) {
  return list(b, 'datasets').map((item, i) => {
    const dataset = body(item.dataset);
    const tags = Object.fromEntries(keyValues(item, 'tags').map((t) => [t.key, t.value]));
    const at = `datasets[${i}].dataset`;
    return {
      tags,
      dataset: {
        name: requiredString(dataset, 'name'), digest: requiredString(dataset, 'digest'), sourceType: stringValue(dataset.source_type, `${at}.source_type`),
        source: stringValue(dataset.source, `${at}.source`), schema: stringValue(dataset.schema, `${at}.schema`), profile: stringValue(dataset.profile, `${at}.profile`),
      },
    };
  });
}

const STATUSES = ['RUNNING', 'SCHEDULED', 'FINISHED', 'FAILED', 'KILLED'] as const;
export function runStatus(b: Body): 'RUNNING' | 'FINISHED' | 'FAILED' | 'KILLED' | undefined {
  const value = b.status;
  if (value === undefined || value === null) return undefined;
  const name = typeof value === 'number' ? STATUSES[value - 1] : value;
  if (typeof name !== 'string' || !STATUSES.includes(name as (typeof STATUSES)[number])) {
    throw bad(`Invalid value ${JSON.stringify(value)} for parameter 'status' supplied: one of ${STATUSES.join(', ')}`);
  }
  return name === 'SCHEDULED' ? 'RUNNING' : (name as 'RUNNING' | 'FINISHED' | 'FAILED' | 'KILLED');
}

const VIEW_TYPES = ['ACTIVE_ONLY', 'DELETED_ONLY', 'ALL'] as const;
export function viewType(b: Body, field: string): 'ACTIVE_ONLY' | 'DELETED_ONLY' | 'ALL' {
  const value = b[field];
  if (value === undefined || value === null) return 'ACTIVE_ONLY';
  const name = typeof value === 'number' ? VIEW_TYPES[value - 1] : value;
  if (typeof name !== 'string' || !VIEW_TYPES.includes(name as (typeof VIEW_TYPES)[number])) throw bad(`Invalid value ${JSON.stringify(value)} for parameter '${field}'`);
  return name as (typeof VIEW_TYPES)[number];
}
