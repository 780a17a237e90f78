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

  /**
   * A batch's windows in two statements (one per window was two round trips each, a window per 1,000
   * predictions), each given one JSON document: as array parameters, node-postgres escaped every
   * element into a string, and those strings were most of what monitoring's heap promoted in
   * bench:monitoring (34 MB of 140 sampled). jsonb, not json: json is parsed again by every `->`,
   * and that made the statement slow enough to delay alerts by seconds.
   */
  async function handleBatch(tx: Sql, events: readonly EnvelopedEvent[]): Promise<void> {
    const series: unknown[] = [];
    const rows: unknown[] = [];
    for (const event of events) {
      if (event.type !== 'MonitoringWindowEvaluated') continue;
      const d = event.data;
      const points: unknown[] = [];
      for (const f of d.featureDrift) points.push([f.feature, f.metric, jsonNumber(f.value), null]);
      for (const p of d.performance) points.push(['performance', p.metric, jsonNumber(p.value), jsonNumber(p.baseline)]);
      for (const b of d.bias) points.push([`bias:${b.attribute}`, b.metric, jsonNumber(b.value), jsonNumber(b.baseline)]);
      points.push(['window', 'prediction_count', d.predictionCount, null], ['window', 'labelled_count', d.labelledCount, null], ['window', 'drift_share', jsonNumber(d.driftShare), null]);
      series.push([d.modelName, d.modelVersion, d.windowIndex, d.windowStart, d.windowEnd, points]);
      rows.push([d.modelName, d.modelVersion, d.windowIndex, d.windowKind, d.windowEnd, d.predictionCount, d.labelledCount, jsonNumber(d.driftShare), d.policyVersion]);
    }
    if (rows.length === 0) return;
    await tx.query(
      `INSERT INTO ${table}
       SELECT w->>0, (w->>1)::int, (w->>2)::bigint, to_timestamp((w->>3)::float8 / 1000), to_timestamp((w->>4)::float8 / 1000),
              p->>0, p->>1, (p->>2)::float8, (p->>3)::float8
         FROM jsonb_array_elements($1::jsonb) AS w, jsonb_array_elements(w->5) AS p
       ON CONFLICT DO NOTHING`,
      [JSON.stringify(series)],
    );
    await tx.query(
      `INSERT INTO ${windows}
       SELECT r->>0, (r->>1)::int, (r->>2)::bigint, r->>3, to_timestamp((r->>4)::float8 / 1000), (r->>5)::bigint, (r->>6)::bigint, (r->>7)::float8, (r->>8)::int
         FROM jsonb_array_elements($1::jsonb) AS r
       ON CONFLICT DO NOTHING`,
      [JSON.stringify(rows)],
    );
  }
}

/** A double as JSON has it: NaN and the infinities (which JSON lacks) as the text PostgreSQL reads back as float8. */
function jsonNumber(value: number | null): number | string | null {
  return value === null || Number.isFinite(value) ? value : String(value);
}
