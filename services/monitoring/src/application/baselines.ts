import type { ColumnProfile } from '@mgov/contracts';
import type { Sql } from '@mgov/event-store';
import { Topics } from '@mgov/messaging';
import type { Reactor } from '@mgov/service-runtime';

export interface MonitoredVersion {
  readonly modelName: string;
  readonly version: number;
  readonly digest: string;
  readonly baseline: readonly ColumnProfile[];
}

/**
 * What monitoring compares production traffic against: each registered model version and the
 * column profile of the dataset version it was trained on.
 */
export function baselines(schema: string) {
  const profiles = `${schema}.dataset_profiles_v1`;
  const versions = `${schema}.monitored_versions_v1`;
  const reactor: Reactor = {
    name: 'baselines',
    topics: [Topics.events('lineage'), Topics.events('registry')],
    async setup(tx: Sql) {
      await tx.query(`CREATE TABLE IF NOT EXISTS ${profiles} (dataset_version_id text PRIMARY KEY, columns jsonb NOT NULL)`);
      await tx.query(`CREATE TABLE IF NOT EXISTS ${versions} (
        model_name text NOT NULL, version int NOT NULL, digest text NOT NULL, dataset_version_ids jsonb NOT NULL,
        PRIMARY KEY (model_name, version))`);
    },
    async handle(tx, message) {
      if (message.kind !== 'event') return;
      const { event } = message;
      if (event.type === 'DatasetVersionRegistered') {
        await tx.query(`INSERT INTO ${profiles} VALUES ($1, $2) ON CONFLICT DO NOTHING`, [event.data.datasetVersionId, JSON.stringify(event.data.columns)]);
      } else if (event.type === 'ModelVersionRegistered') {
        const d = event.data;
        await tx.query(`INSERT INTO ${versions} VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING`, [d.modelName, d.version, d.digest, JSON.stringify(d.datasetVersionIds)]);
      }
    },
  };
  const find = async (sql: Sql, modelName: string, version: number): Promise<MonitoredVersion | null> => {
    const [row] = await sql.query<{ digest: string; columns: ColumnProfile[] | null }>(
      `SELECT v.digest, p.columns FROM ${versions} v
       LEFT JOIN ${profiles} p ON p.dataset_version_id = v.dataset_version_ids->>0
       WHERE v.model_name = $1 AND v.version = $2`,
      [modelName, version],
    );
    return row ? { modelName, version, digest: row.digest, baseline: row.columns ?? [] } : null;
  };
  return { reactor, find };
}
