import type { Sql } from '@mgov/event-store';
import type { ReadModel } from '@mgov/service-runtime';

export interface RunRow {
  run_id: string;
  experiment_name: string;
  status: 'running' | 'finished' | 'refused';
  dataset_version_ids: string[];
  params: Record<string, string>;
  metrics: Record<string, number>;
  artifact_digest: string | null;
  refusal: string | null;
}

/** Runs with their inputs, params and final metrics. */
export function runsReadModel(schema: string): ReadModel & { table: string } {
  const table = `${schema}.runs_v1`;
  return {
    name: 'runs',
    version: 1,
    table,
    async setup(tx: Sql) {
      await tx.query(`CREATE TABLE IF NOT EXISTS ${table} (
        run_id text PRIMARY KEY, experiment_name text NOT NULL, status text NOT NULL,
        dataset_version_ids jsonb NOT NULL, params jsonb NOT NULL, metrics jsonb NOT NULL DEFAULT '{}',
        artifact_digest text, refusal text, started_at timestamptz NOT NULL)`);
    },
    async reset(tx: Sql) {
      await tx.query(`TRUNCATE ${table}`);
    },
    async handle(tx: Sql, event) {
      const at = new Date(event.envelope.occurredAt).toISOString();
      switch (event.type) {
        case 'RunStarted':
          await tx.query(
            `INSERT INTO ${table} (run_id, experiment_name, status, dataset_version_ids, params, started_at)
             VALUES ($1,$2,'running',$3,$4,$5) ON CONFLICT (run_id) DO NOTHING`,
            [event.data.runId, event.data.experimentName, JSON.stringify(event.data.datasetVersionIds), JSON.stringify(event.data.params), at],
          );
          return;
        case 'RunRefused':
          await tx.query(
            `INSERT INTO ${table} (run_id, experiment_name, status, dataset_version_ids, params, refusal, started_at)
             VALUES ($1,$2,'refused',$3,'{}',$4,$5)
             ON CONFLICT (run_id) DO UPDATE SET dataset_version_ids = ${table}.dataset_version_ids || EXCLUDED.dataset_version_ids
             WHERE NOT ${table}.dataset_version_ids @> EXCLUDED.dataset_version_ids`,
            [event.data.runId, event.data.experimentName, JSON.stringify([event.data.datasetVersionId]), event.data.reason, at],
          );
          return;
        case 'RunCompleted':
          await tx.query(`UPDATE ${table} SET status = 'finished', metrics = $2, artifact_digest = $3 WHERE run_id = $1`, [
            event.data.runId, JSON.stringify(event.data.metrics), event.data.artifactDigest,
          ]);
          return;
      }
    },
  };
}
