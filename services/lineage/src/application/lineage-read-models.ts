import type { Sql } from '@mgov/event-store';
import type { ReadModel } from '@mgov/service-runtime';

/** Sources and dataset versions with their training eligibility, for lineage's own queries. */
export function lineageCatalog(schema: string): ReadModel {
  const sources = `${schema}.catalog_sources_v1`;
  const datasets = `${schema}.catalog_dataset_versions_v1`;
  return {
    name: 'lineage-catalog',
    version: 1,
    async setup(tx: Sql) {
      await tx.query(`CREATE TABLE IF NOT EXISTS ${sources} (
        source_id text PRIMARY KEY, name text NOT NULL, kind text NOT NULL, license text NOT NULL,
        owner text NOT NULL, personal_data_columns jsonb NOT NULL, registered_at timestamptz NOT NULL)`);
      await tx.query(`CREATE TABLE IF NOT EXISTS ${datasets} (
        dataset_version_id text PRIMARY KEY, dataset_name text NOT NULL, source_ids jsonb NOT NULL,
        parent_version_ids jsonb NOT NULL, row_count bigint NOT NULL, columns jsonb NOT NULL,
        eligible boolean NOT NULL DEFAULT false, registered_at timestamptz NOT NULL)`);
    },
    async reset(tx: Sql) {
      await tx.query(`TRUNCATE ${sources}, ${datasets}`);
    },
    async handle(tx: Sql, event) {
      const at = new Date(event.envelope.occurredAt).toISOString();
      switch (event.type) {
        case 'SourceRegistered': {
          const d = event.data;
          await tx.query(
            `INSERT INTO ${sources} VALUES ($1,$2,$3,$4,$5,$6,$7) ON CONFLICT (source_id) DO NOTHING`,
            [d.sourceId, d.name, d.kind, d.license, d.owner, JSON.stringify(d.personalDataColumns), at],
          );
          return;
        }
        case 'DatasetVersionRegistered': {
          const d = event.data;
          await tx.query(
            `INSERT INTO ${datasets} (dataset_version_id, dataset_name, source_ids, parent_version_ids, row_count, columns, registered_at)
             VALUES ($1,$2,$3,$4,$5,$6,$7) ON CONFLICT (dataset_version_id) DO NOTHING`,
            [d.datasetVersionId, d.datasetName, JSON.stringify(d.sourceIds), JSON.stringify(d.parentVersionIds), d.rowCount, JSON.stringify(d.columns), at],
          );
          return;
        }
        case 'DatasetVersionClearedForTraining':
          await tx.query(`UPDATE ${datasets} SET eligible = true WHERE dataset_version_id = $1`, [event.data.datasetVersionId]);
          return;
      }
    },
  };
}

export interface SourceRow {
  source_id: string;
  name: string;
  kind: string;
  license: string;
  owner: string;
}

export interface DatasetVersionRow {
  dataset_version_id: string;
  dataset_name: string;
  source_ids: string[];
  row_count: string;
  eligible: boolean;
  registered_at: Date;
}
