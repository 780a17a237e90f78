import type { Sql } from '@mgov/event-store';
import type { ReadModel } from '@mgov/service-runtime';

export interface SeriesPoint {
  window_index: string;
  window_start: string;
  window_end: string;
  subject: string;
  metric: string;
  value: number;
  baseline: number | null;
}

/**
 * The metric time series: one row per window, subject and metric (subject: a feature, `performance`,
 * `bias:<attribute>` or `window` for counts and drift share), from MonitoringWindowEvaluated.
 */
export function windowSeriesReadModel(schema: string): ReadModel & { table: string; windows: string } {
  const table = `${schema}.window_series_v1`;
  const windows = `${schema}.windows_v1`;
  return {
    name: 'window-series',
    version: 1,
    table,
    windows,
    async setup(tx: Sql) {
      await tx.query(`CREATE TABLE IF NOT EXISTS ${table} (
        model_name text NOT NULL, model_version int NOT NULL, window_index bigint NOT NULL, window_start timestamptz NOT NULL,
        window_end timestamptz NOT NULL, subject text NOT NULL, metric text NOT NULL, value double precision NOT NULL, baseline double precision,
        PRIMARY KEY (model_name, model_version, subject, metric, window_index))`);
      await tx.query(`CREATE TABLE IF NOT EXISTS ${windows} (
        model_name text NOT NULL, model_version int NOT NULL, window_index bigint NOT NULL, window_kind text NOT NULL, window_end timestamptz NOT NULL,
        prediction_count bigint NOT NULL, labelled_count bigint NOT NULL, drift_share double precision NOT NULL, policy_version int NOT NULL,
        PRIMARY KEY (model_name, model_version, window_index))`);
    },
    async reset(tx: Sql) {
      await tx.query(`TRUNCATE ${table}, ${windows}`);
    },
    async handle(tx: Sql, event) {
      if (event.type !== 'MonitoringWindowEvaluated') return;
      const d = event.data;
      const start = new Date(d.windowStart).toISOString();
      const end = new Date(d.windowEnd).toISOString();
      const points = [
        ...d.featureDrift.map((f) => [f.feature, f.metric, f.value, null] as const),
        ...d.performance.map((p) => ['performance', p.metric, p.value, p.baseline] as const),
        ...d.bias.map((b) => [`bias:${b.attribute}`, b.metric, b.value, b.baseline] as const),
        ['window', 'prediction_count', d.predictionCount, null] as const,
        ['window', 'labelled_count', d.labelledCount, null] as const,
        ['window', 'drift_share', d.driftShare, null] as const,
      ];
      await tx.query(
        `INSERT INTO ${table} SELECT $1, $2, $3, $4, $5, s, m, v, b FROM unnest($6::text[], $7::text[], $8::float8[], $9::float8[]) AS t(s, m, v, b) ON CONFLICT DO NOTHING`,
        [d.modelName, d.modelVersion, d.windowIndex, start, end, points.map((p) => p[0]), points.map((p) => p[1]), points.map((p) => p[2]), points.map((p) => p[3])],
      );
      await tx.query(`INSERT INTO ${windows} VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9) ON CONFLICT DO NOTHING`, [
        d.modelName, d.modelVersion, d.windowIndex, d.windowKind, end, d.predictionCount, d.labelledCount, d.driftShare, d.policyVersion,
      ]);
    },
  };
}
