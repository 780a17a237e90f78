import type { Sql } from '@mgov/event-store';
import type { ReadModel } from '@mgov/service-runtime';

export interface ModelVersionRow {
  model_name: string;
  version: number;
  tag: string;
  digest: string;
  run_id: string;
  dataset_version_ids: string[];
  registered_at: Date;
}

/** The registry proper: approved versions only. Candidates never appear here. */
export function modelVersionsReadModel(schema: string): ReadModel & { table: string } {
  const table = `${schema}.model_versions_v1`;
  return {
    name: 'model-versions',
    version: 1,
    table,
    async setup(tx: Sql) {
      await tx.query(`CREATE TABLE IF NOT EXISTS ${table} (
        model_name text NOT NULL, version int NOT NULL, tag text NOT NULL UNIQUE, digest text NOT NULL,
        run_id text NOT NULL, dataset_version_ids jsonb NOT NULL, registered_at timestamptz NOT NULL,
        PRIMARY KEY (model_name, version))`);
    },
    async reset(tx: Sql) {
      await tx.query(`TRUNCATE ${table}`);
    },
    async handle(tx: Sql, event) {
      if (event.type !== 'ModelVersionRegistered') return;
      const d = event.data;
      await tx.query(`INSERT INTO ${table} VALUES ($1,$2,$3,$4,$5,$6,$7) ON CONFLICT DO NOTHING`, [
        d.modelName, d.version, d.tag, d.digest, d.runId, JSON.stringify(d.datasetVersionIds), new Date(event.envelope.occurredAt).toISOString(),
      ]);
    },
  };
}
