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
 * The metric time series, from MonitoringWindowEvaluated: a row per window with its counts and
 * drift share, and its points — one per subject and metric (subject: a feature, `performance`,
 * `bias:<attribute>` or `window` for counts and drift share) — in one jsonb array, read back as a
 * row each by `series`. Version 1 kept a row per point: a window's ~100 of them, each with its own
 * index entry, were most of what PostgreSQL did in bench:monitoring (0.7 s of 1.1 s).
 */
export function windowSeriesReadModel(schema: string): ReadModel & { windows: string; series: typeof series } {
  const windows = `${schema}.windows_v2`;
  return {
    name: 'window-series',
    version: 2,
    windows,
    series,
    async setup(tx: Sql) {
      await tx.query(`CREATE TABLE IF NOT EXISTS ${windows} (
        model_name text NOT NULL, model_version int NOT NULL, window_index bigint NOT NULL, window_kind text NOT NULL,
        window_start timestamptz NOT NULL, window_end timestamptz NOT NULL, prediction_count bigint NOT NULL, labelled_count bigint NOT NULL,
        drift_share double precision NOT NULL, policy_version int NOT NULL, points jsonb NOT NULL,
        PRIMARY KEY (model_name, model_version, window_index))`);
    },
    async reset(tx: Sql) {
      await tx.query(`TRUNCATE ${windows}`);
    },
    handle(tx: Sql, event) {
      return handleBatch(tx, [event]);
    },
    handleBatch,
  };

  /** One metric's values per window, newest first, `limit` points at most (a window has one per subject and metric). */
  async function series(sql: Sql, query: { modelName: string; version: number; subject?: string; metric?: string; limit: number }): Promise<SeriesPoint[]> {
    return sql.query<SeriesPoint>(
      `SELECT w.window_index, w.window_start, w.window_end, p->>0 AS subject, p->>1 AS metric, (p->>2)::float8 AS value, (p->>3)::float8 AS baseline
         FROM ${windows} w CROSS JOIN LATERAL jsonb_array_elements(w.points) AS p
        WHERE w.model_name = $1 AND w.model_version = $2 AND ($3::text IS NULL OR p->>0 = $3) AND ($4::text IS NULL OR p->>1 = $4)
        ORDER BY w.window_index DESC, subject, metric LIMIT $5`,
      [query.modelName, query.version, query.subject ?? null, query.metric ?? null, query.limit],
    );
  }

  /**
   * A batch's windows in one statement, given one JSON document: as array parameters, node-postgres
   * escaped every element into a string, and those strings were most of what monitoring's heap
   * promoted in bench:monitoring (34 MB of 140 sampled). jsonb, not json: json is parsed again by
   * every `->`, and that made the statement slow enough to delay alerts by seconds.
   */
  async function handleBatch(tx: Sql, events: readonly EnvelopedEvent[]): Promise<void> {
    const rows: unknown[] = [];
    for (const event of events) {
      if (event.type !== 'MonitoringWindowEvaluated') continue;
      const d = event.data;
      const points: unknown[] = [];
      for (const f of d.featureDrift) points.push([f.feature, f.metric, jsonNumber(f.value), null]);
      for (const p of d.performance) points.push(['performance', p.metric, jsonNumber(p.value), jsonNumber(p.baseline)]);
      for (const b of d.bias) points.push([`bias:${b.attribute}`, b.metric, jsonNumber(b.value), jsonNumber(b.baseline)]);
      points.push(['window', 'prediction_count', d.predictionCount, null], ['window', 'labelled_count', d.labelledCount, null], ['window', 'drift_share', jsonNumber(d.driftShare), null]);
      rows.push([d.modelName, d.modelVersion, d.windowIndex, d.windowKind, d.windowStart, d.windowEnd, d.predictionCount, d.labelledCount, jsonNumber(d.driftShare), d.policyVersion, points]);
    }
    if (rows.length === 0) return;
    await tx.query(
      `INSERT INTO ${windows}
       SELECT r->>0, (r->>1)::int, (r->>2)::bigint, r->>3, to_timestamp((r->>4)::float8 / 1000), to_timestamp((r->>5)::float8 / 1000),
              (r->>6)::bigint, (r->>7)::bigint, (r->>8)::float8, (r->>9)::int, r->10
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
