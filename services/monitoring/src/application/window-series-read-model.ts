import type { EnvelopedEvent } from '@mgov/contracts';
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
    handle(tx: Sql, event) {
      return handleBatch(tx, [event]);
    },
    handleBatch,
  };

  /** A batch's windows in two statements (one per window was two round trips each, a window per 1,000 predictions). */
  async function handleBatch(tx: Sql, events: readonly EnvelopedEvent[]): Promise<void> {
    const points: Array<readonly [string, number, number, string, string, string, string, number, number | null]> = [];
    const rows: unknown[][] = [];
    for (const event of events) {
      if (event.type !== 'MonitoringWindowEvaluated') continue;
      const d = event.data;
      const start = new Date(d.windowStart).toISOString();
      const end = new Date(d.windowEnd).toISOString();
      const point = (subject: string, metric: string, value: number, baseline: number | null) =>
        points.push([d.modelName, d.modelVersion, d.windowIndex, start, end, subject, metric, value, baseline]);
      for (const f of d.featureDrift) point(f.feature, f.metric, f.value, null);
      for (const p of d.performance) point('performance', p.metric, p.value, p.baseline);
      for (const b of d.bias) point(`bias:${b.attribute}`, b.metric, b.value, b.baseline);
      point('window', 'prediction_count', d.predictionCount, null);
      point('window', 'labelled_count', d.labelledCount, null);
      point('window', 'drift_share', d.driftShare, null);
      rows.push([d.modelName, d.modelVersion, d.windowIndex, d.windowKind, end, d.predictionCount, d.labelledCount, d.driftShare, d.policyVersion]);
    }
    if (rows.length === 0) return;
    const column = (list: ReadonlyArray<readonly unknown[]>, i: number) => list.map((row) => row[i]);
    await tx.query(
      `INSERT INTO ${table} SELECT * FROM unnest($1::text[], $2::int[], $3::bigint[], $4::timestamptz[], $5::timestamptz[], $6::text[], $7::text[], $8::float8[], $9::float8[])
       ON CONFLICT DO NOTHING`,
      Array.from({ length: 9 }, (_, i) => column(points, i)),
    );
    await tx.query(
      `INSERT INTO ${windows} SELECT * FROM unnest($1::text[], $2::int[], $3::bigint[], $4::text[], $5::timestamptz[], $6::bigint[], $7::bigint[], $8::float8[], $9::int[])
       ON CONFLICT DO NOTHING`,
      Array.from({ length: 9 }, (_, i) => column(rows, i)),
    );
  }
}
