import type { ColumnProfile } from '@mgov/contracts';
import type { Sql } from '@mgov/event-store';
import { Topics } from '@mgov/messaging';
import type { Reactor } from '@mgov/service-runtime';

/** A model version as one key (`name\u0000version`): what the bulk lookups return their results by. */
export const versionKey = (modelName: string, version: number) => `${modelName}\u0000${version}`;

export interface MonitoredVersion {
  readonly modelName: string;
  readonly version: number;
  readonly digest: string;
  readonly baseline: readonly ColumnProfile[];
  /** The run's evaluation metrics (ModelVersionRegistered v2): the performance and fairness baseline. */
  readonly metrics: Readonly<Record<string, number>>;
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
      await tx.query(`ALTER TABLE ${versions} ADD COLUMN IF NOT EXISTS metrics jsonb NOT NULL DEFAULT '{}'`);
    },
    async handle(tx, message) {
      if (message.kind !== 'event') return;
      const { event } = message;
      if (event.type === 'DatasetVersionRegistered') {
        await tx.query(`INSERT INTO ${profiles} VALUES ($1, $2) ON CONFLICT DO NOTHING`, [event.data.datasetVersionId, JSON.stringify(event.data.columns)]);
      } else if (event.type === 'ModelVersionRegistered') {
        const d = event.data;
        await tx.query(
          `INSERT INTO ${versions} (model_name, version, digest, dataset_version_ids, metrics) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING`,
          [d.modelName, d.version, d.digest, JSON.stringify(d.datasetVersionIds), JSON.stringify(d.metrics ?? {})],
        );
      }
    },
  };
  const find = async (sql: Sql, modelName: string, version: number): Promise<MonitoredVersion | null> => {
    const [row] = await sql.query<{ digest: string; columns: ColumnProfile[] | null; metrics: Record<string, number> }>(
      `SELECT v.digest, p.columns, v.metrics FROM ${versions} v
       LEFT JOIN ${profiles} p ON p.dataset_version_id = v.dataset_version_ids->>0
       WHERE v.model_name = $1 AND v.version = $2`,
      [modelName, version],
    );
    return row ? { modelName, version, digest: row.digest, baseline: row.columns ?? [], metrics: row.metrics ?? {} } : null;
  };
  /** Several versions at once, by `versionKey`; a version not registered is absent. */
  const findMany = async (sql: Sql, wanted: ReadonlyArray<readonly [string, number]>): Promise<Map<string, MonitoredVersion>> => {
    const rows = await sql.query<{ model_name: string; version: number; digest: string; columns: ColumnProfile[] | null; metrics: Record<string, number> }>(
      `SELECT v.model_name, v.version, v.digest, p.columns, v.metrics FROM ${versions} v
       LEFT JOIN ${profiles} p ON p.dataset_version_id = v.dataset_version_ids->>0
       WHERE (v.model_name, v.version) IN (SELECT * FROM unnest($1::text[], $2::int[]))`,
      [wanted.map(([modelName]) => modelName), wanted.map(([, version]) => version)],
    );
    return new Map(rows.map((row) => [versionKey(row.model_name, row.version), {
      modelName: row.model_name, version: row.version, digest: row.digest, baseline: row.columns ?? [], metrics: row.metrics ?? {},
    }]));
  };
  return { reactor, find, findMany };
}
