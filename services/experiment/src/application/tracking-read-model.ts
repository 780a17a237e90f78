import type { EnvelopedEvent } from '@mgov/contracts';
import type { Sql } from '@mgov/event-store';
import { latestOfSeries, toSeries } from '@mgov/experiment-domain';
import type { ReadModel } from '@mgov/service-runtime';

/** The tables behind the tracking queries (MLflow's and MGov's own). */
export interface TrackingTables {
  readonly experiments: string;
  readonly runs: string;
  readonly metrics: string;
  readonly latest: string;
  readonly artifacts: string;
}

export const trackingTables = (schema: string): TrackingTables => ({
  experiments: `${schema}.experiments_v1`,
  runs: `${schema}.runs_v2`,
  metrics: `${schema}.run_metric_series_v1`,
  latest: `${schema}.run_latest_metrics_v1`,
  artifacts: `${schema}.run_artifacts_v1`,
});

/**
 * Experiments, runs, the full metric history, latest values and artifacts, from experiment's log.
 * Metric values live in float8 columns so NaN and ±Infinity survive (jsonb would refuse them).
 */
export function trackingReadModel(schema: string): ReadModel & { tables: TrackingTables } {
  const t = trackingTables(schema);
  return {
    name: 'tracking',
    version: 2,
    tables: t,
    async setup(tx: Sql) {
      await tx.query(`CREATE TABLE IF NOT EXISTS ${t.experiments} (
        experiment_id text PRIMARY KEY, name text NOT NULL UNIQUE, artifact_location text NOT NULL, lifecycle_stage text NOT NULL DEFAULT 'active',
        creation_time bigint NOT NULL, last_update_time bigint NOT NULL, tags jsonb NOT NULL DEFAULT '{}', created_by text)`);
      await tx.query(`CREATE TABLE IF NOT EXISTS ${t.runs} (
        run_id text PRIMARY KEY, experiment_id text NOT NULL, experiment_name text NOT NULL, run_name text NOT NULL DEFAULT '', user_id text NOT NULL DEFAULT '',
        status text NOT NULL, lifecycle_stage text NOT NULL DEFAULT 'active', start_time bigint NOT NULL, end_time bigint,
        params jsonb NOT NULL DEFAULT '{}', tags jsonb NOT NULL DEFAULT '{}', dataset_version_ids jsonb NOT NULL DEFAULT '[]',
        unknown_inputs jsonb NOT NULL DEFAULT '[]', inputs jsonb NOT NULL DEFAULT '[]', refusals jsonb NOT NULL DEFAULT '[]',
        artifact_digest text, stream_version integer NOT NULL DEFAULT 0)`);
      await tx.query(`CREATE INDEX IF NOT EXISTS runs_v2_experiment ON ${t.runs} (experiment_id, start_time DESC)`);
      // One row per metric key per logging call: a log-batch of 1000 points over 50 keys writes 50 rows.
      await tx.query(`CREATE TABLE IF NOT EXISTS ${t.metrics} (
        run_id text NOT NULL, key text NOT NULL, stream_version integer NOT NULL,
        values float8[] NOT NULL, timestamps bigint[] NOT NULL, steps bigint[] NOT NULL, PRIMARY KEY (run_id, key, stream_version))`);
      await tx.query(`CREATE TABLE IF NOT EXISTS ${t.latest} (
        run_id text NOT NULL, key text NOT NULL, value float8 NOT NULL, timestamp bigint NOT NULL, step bigint NOT NULL, PRIMARY KEY (run_id, key))`);
      await tx.query(`CREATE TABLE IF NOT EXISTS ${t.artifacts} (
        run_id text NOT NULL, path text NOT NULL, sha256 text NOT NULL, size bigint NOT NULL, PRIMARY KEY (run_id, path))`);
    },
    async reset(tx: Sql) {
      await tx.query(`TRUNCATE ${t.experiments}, ${t.runs}, ${t.metrics}, ${t.latest}, ${t.artifacts}`);
    },
    async handle(tx, event) {
      await project(tx, t, event);
      // How far each run's stream is applied: a writer waits for its own event before answering.
      const runId = (event.data as { runId?: unknown }).runId;
      if (typeof runId === 'string' && event.type !== 'ExperimentCreated') {
        await tx.query(`UPDATE ${t.runs} SET stream_version = $2 WHERE run_id = $1 AND stream_version < $2`, [runId, event.envelope.streamVersion]);
      }
    },
  };
}

type Series = { key: string; values: readonly number[]; timestamps: readonly number[]; steps: readonly number[] };

async function addSeries(tx: Sql, t: TrackingTables, runId: string, version: number, series: readonly Series[]): Promise<void> {
  if (series.length === 0) return;
  const rows: unknown[] = [runId, version];
  const values = series.map((s) => {
    const at = rows.push(s.key, [...s.values], [...s.timestamps], [...s.steps]);
    return `($1, $${at - 3}, $2, $${at - 2}::float8[], $${at - 1}::bigint[], $${at}::bigint[])`;
  });
  await tx.query(`INSERT INTO ${t.metrics} (run_id, key, stream_version, values, timestamps, steps) VALUES ${values.join(', ')} ON CONFLICT DO NOTHING`, rows);
  // NaN ranks below every number here as in MLflow, though PostgreSQL sorts it above them.
  const latest = latestOfSeries(series);
  await tx.query(
    `INSERT INTO ${t.latest} (run_id, key, value, timestamp, step)
     SELECT $1, k, v, ts, s FROM unnest($2::text[], $3::float8[], $4::bigint[], $5::bigint[]) AS p(k, v, ts, s)
     ON CONFLICT (run_id, key) DO UPDATE SET value = excluded.value, timestamp = excluded.timestamp, step = excluded.step
     WHERE (excluded.step, excluded.timestamp) > (${t.latest}.step, ${t.latest}.timestamp)
        OR ((excluded.step, excluded.timestamp) = (${t.latest}.step, ${t.latest}.timestamp) AND excluded.value <> 'NaN'::float8
            AND (${t.latest}.value = 'NaN'::float8 OR excluded.value > ${t.latest}.value))`,
    [runId, latest.map((p) => p.key), latest.map((p) => p.value), latest.map((p) => p.timestamp), latest.map((p) => p.step)],
  );
}

async function project(tx: Sql, t: TrackingTables, event: EnvelopedEvent): Promise<void> {
  const at = event.envelope.occurredAt;
  const version = event.envelope.streamVersion;
  switch (event.type) {
    case 'ExperimentCreated': {
      const d = event.data;
      await tx.query(
        `INSERT INTO ${t.experiments} (experiment_id, name, artifact_location, creation_time, last_update_time, tags, created_by)
         VALUES ($1, $2, $3, $4, $4, $5, $6) ON CONFLICT DO NOTHING`,
        [d.experimentId, d.name, d.artifactLocation, at, JSON.stringify(d.tags), event.envelope.actor.id],
      );
      return;
    }
    case 'RunStarted': {
      const d = event.data;
      await tx.query(
        `INSERT INTO ${t.runs} (run_id, experiment_id, experiment_name, run_name, user_id, status, start_time, params, tags, dataset_version_ids, stream_version)
         VALUES ($1, $2, $3, $4, $5, 'RUNNING', $6, $7, $8, $9, $10)
         ON CONFLICT (run_id) DO UPDATE SET status = 'RUNNING', experiment_id = excluded.experiment_id, run_name = excluded.run_name, user_id = excluded.user_id,
           start_time = excluded.start_time, params = excluded.params, tags = excluded.tags, dataset_version_ids = excluded.dataset_version_ids`,
        [d.runId, d.experimentId, d.experimentName, d.runName, d.user || event.envelope.actor.id, d.startTime || at, JSON.stringify(d.params), JSON.stringify(d.tags),
          JSON.stringify(d.datasetVersionIds), version],
      );
      return;
    }
    case 'RunRefused': {
      const d = event.data;
      const refusal = JSON.stringify([{ datasetVersionId: d.datasetVersionId, reason: d.reason }]);
      await tx.query(
        `INSERT INTO ${t.runs} (run_id, experiment_id, experiment_name, user_id, status, start_time, refusals)
         VALUES ($1, '', $2, $3, 'REFUSED', $4, $5)
         ON CONFLICT (run_id) DO UPDATE SET refusals = ${t.runs}.refusals || excluded.refusals WHERE NOT ${t.runs}.refusals @> excluded.refusals`,
        [d.runId, d.experimentName, event.envelope.actor.id, at, refusal],
      );
      return;
    }
    case 'RunDataLogged': {
      const d = event.data;
      const params = Object.fromEntries(d.params.map((p) => [p.key, p.value]));
      const tags = Object.fromEntries(d.tags.map((x) => [x.key, x.value]));
      if (d.params.length + d.tags.length > 0) {
        await tx.query(
          `UPDATE ${t.runs} SET params = params || $2, tags = tags || $3, run_name = COALESCE($4, run_name) WHERE run_id = $1`,
          [d.runId, JSON.stringify(params), JSON.stringify(tags), tags['mlflow.runName'] ?? null],
        );
      }
      await addSeries(tx, t, d.runId, version, d.metrics);
      return;
    }
    case 'FairnessMetricsComputed':
      await addSeries(tx, t, event.data.runId, version, toSeries(event.data.metrics));
      return;
    case 'RunInputsLogged': {
      const d = event.data;
      const known = d.inputs.flatMap((i) => (i.datasetVersionId ? [i.datasetVersionId] : []));
      const unknown = d.inputs.filter((i) => !i.datasetVersionId).map((i) => (i.digest ? `${i.name}@${i.digest}` : i.name));
      await tx.query(
        `UPDATE ${t.runs} SET inputs = inputs || $2,
           dataset_version_ids = (SELECT COALESCE(jsonb_agg(DISTINCT v), '[]') FROM jsonb_array_elements_text(dataset_version_ids || $3) v),
           unknown_inputs = (SELECT COALESCE(jsonb_agg(DISTINCT v), '[]') FROM jsonb_array_elements_text(unknown_inputs || $4) v)
         WHERE run_id = $1 AND stream_version < $5`,
        [d.runId, JSON.stringify(d.inputs), JSON.stringify(known), JSON.stringify(unknown), version],
      );
      return;
    }
    case 'ArtifactLogged': {
      const d = event.data;
      await tx.query(
        `INSERT INTO ${t.artifacts} (run_id, path, sha256, size) VALUES ($1, $2, $3, $4)
         ON CONFLICT (run_id, path) DO UPDATE SET sha256 = excluded.sha256, size = excluded.size`,
        [d.runId, d.path, d.sha256, d.size],
      );
      return;
    }
    case 'RunCompleted':
      await tx.query(`UPDATE ${t.runs} SET status = 'FINISHED', end_time = $2, artifact_digest = $3 WHERE run_id = $1`, [event.data.runId, at, event.data.artifactDigest]);
      return;
    case 'RunFailed':
    case 'RunKilled':
      await tx.query(`UPDATE ${t.runs} SET status = $2, end_time = $3 WHERE run_id = $1`, [
        event.data.runId, event.type === 'RunFailed' ? 'FAILED' : 'KILLED', event.data.endTime || at,
      ]);
      return;
    case 'RunDeleted':
      await tx.query(`UPDATE ${t.runs} SET lifecycle_stage = 'deleted' WHERE run_id = $1`, [event.data.runId]);
      return;
    default:
      return;
  }
}
