import { DomainError } from '@mgov/decider';

/** MLflow's limits, so a client that works against MLflow works here and the other way round. */
export const LIMITS = {
  metricsPerBatch: 1000,
  paramsPerBatch: 100,
  tagsPerBatch: 100,
  entitiesPerBatch: 1000,
  keyLength: 250,
  paramValueLength: 6000,
  tagValueLength: 8000,
  experimentNameLength: 500,
  datasetsPerCall: 1000,
} as const;

export interface MetricPoint {
  readonly key: string;
  readonly value: number;
  readonly timestamp: number;
  readonly step: number;
}

export interface KeyValue {
  readonly key: string;
  readonly value: string;
}

const KEY_PATTERN = /^[/\w.\- :]*$/;

export const invalid = (message: string) => new DomainError('EXPERIMENT.INVALID_PARAMETER_VALUE', message, 400);

function checkKey(key: unknown, path: string): asserts key is string {
  if (typeof key !== 'string' || key.length === 0) throw invalid(`${path}.key must be a non-empty string`);
  if (key.length > LIMITS.keyLength) throw invalid(`${path}.key '${key.slice(0, 40)}…' is ${key.length} characters; the limit is ${LIMITS.keyLength}`);
  if (!KEY_PATTERN.test(key) || key.split('/').some((part) => part === '..' || part === '.') || key.startsWith('/')) {
    throw invalid(`${path}.key '${key}' may only contain letters, digits, '_', '-', '.', ' ', ':' and '/' (and no '..' or leading '/')`);
  }
}

/** Checks one logging call against MLflow's limits and shapes; throws before anything is written. */
export function checkBatch(metrics: readonly MetricPoint[], params: readonly KeyValue[], tags: readonly KeyValue[]): void {
  const over = (what: string, n: number, limit: number) => {
    if (n > limit) throw new DomainError('EXPERIMENT.BATCH_TOO_LARGE', `a batch may hold at most ${limit} ${what}; this one has ${n}: split it into several calls`, 400);
  };
  over('metrics', metrics.length, LIMITS.metricsPerBatch);
  over('params', params.length, LIMITS.paramsPerBatch);
  over('tags', tags.length, LIMITS.tagsPerBatch);
  over('metrics, params and tags together', metrics.length + params.length + tags.length, LIMITS.entitiesPerBatch);
  metrics.forEach((m, i) => {
    checkKey(m.key, `metrics[${i}]`);
    if (typeof m.value !== 'number') throw invalid(`metrics[${i}].value must be a number (NaN and ±Infinity are accepted)`);
    if (!Number.isSafeInteger(m.timestamp)) throw invalid(`metrics[${i}].timestamp must be an integer (epoch milliseconds)`);
    if (!Number.isSafeInteger(m.step)) throw invalid(`metrics[${i}].step must be an integer`);
  });
  params.forEach((p, i) => {
    checkKey(p.key, `params[${i}]`);
    if (typeof p.value !== 'string') throw invalid(`params[${i}].value must be a string`);
    if (p.value.length > LIMITS.paramValueLength) throw invalid(`params[${i}] '${p.key}' has a value of ${p.value.length} characters; the limit is ${LIMITS.paramValueLength}`);
  });
  tags.forEach((t, i) => {
    checkKey(t.key, `tags[${i}]`);
    if (typeof t.value !== 'string') throw invalid(`tags[${i}].value must be a string`);
    if (t.value.length > LIMITS.tagValueLength) throw invalid(`tags[${i}] '${t.key}' has a value of ${t.value.length} characters; the limit is ${LIMITS.tagValueLength}`);
  });
}

/** MLflow's order for "the latest value" of a metric: highest step, then timestamp, then value. */
export function isLater(candidate: MetricPoint, current: MetricPoint | undefined): boolean {
  if (!current) return true;
  if (candidate.step !== current.step) return candidate.step > current.step;
  if (candidate.timestamp !== current.timestamp) return candidate.timestamp > current.timestamp;
  if (Number.isNaN(current.value)) return !Number.isNaN(candidate.value);
  return candidate.value > current.value;
}

/** A metric key's points from one call, column by column (how RunDataLogged carries them). */
export interface MetricSeries {
  readonly key: string;
  readonly values: readonly number[];
  readonly timestamps: readonly number[];
  readonly steps: readonly number[];
}

/** Points grouped by key, keys in first-seen order, each key's points in the order sent. */
export function toSeries(points: readonly MetricPoint[]): MetricSeries[] {
  const byKey = new Map<string, { key: string; values: number[]; timestamps: number[]; steps: number[] }>();
  for (const p of points) {
    let series = byKey.get(p.key);
    if (!series) byKey.set(p.key, (series = { key: p.key, values: [], timestamps: [], steps: [] }));
    series.values.push(p.value);
    series.timestamps.push(p.timestamp);
    series.steps.push(p.step);
  }
  return [...byKey.values()];
}

/** The latest point of each series, by MLflow's order. */
export function latestOfSeries(series: readonly MetricSeries[]): MetricPoint[] {
  return series.map((s) => {
    let latest: MetricPoint | undefined;
    for (let i = 0; i < s.values.length; i++) {
      const point = { key: s.key, value: s.values[i], timestamp: s.timestamps[i], step: s.steps[i] };
      if (isLater(point, latest)) latest = point;
    }
    return latest!;
  });
}
