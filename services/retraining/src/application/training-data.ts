import type { Sql } from '@mgov/event-store';
import { Topics } from '@mgov/messaging';
import type { Reactor } from '@mgov/service-runtime';

export interface ModelVersionFacts {
  readonly modelName: string;
  readonly version: number;
  readonly digest: string;
  readonly datasetVersionIds: string[];
  /** '' when the registry's event predates v2 (unknown submitter). */
  readonly submittedBy: string;
}

/**
 * What retraining needs to pick fresh data and to check separation of duties: every dataset version
 * with its name, order and eligibility (gate-made clearances only, revocations honoured), and each
 * registered model version's training data and submitter, and the deployments serving it.
 */
export function trainingData(schema: string) {
  const datasets = `${schema}.dataset_versions_v2`;
  const versions = `${schema}.model_versions_v2`;
  const deployments = `${schema}.deployments_v1`;
  const reactor: Reactor = {
    name: 'training-data-v2',
    topics: [Topics.events('lineage'), Topics.events('registry')],
    async setup(tx: Sql) {
      await tx.query(`CREATE TABLE IF NOT EXISTS ${datasets} (
        dataset_version_id text PRIMARY KEY, dataset_name text, registered_at timestamptz,
        sequence bigserial, eligible boolean NOT NULL DEFAULT false, revoked boolean NOT NULL DEFAULT false)`);
      await tx.query(`CREATE TABLE IF NOT EXISTS ${versions} (
        model_name text NOT NULL, version int NOT NULL, digest text NOT NULL, dataset_version_ids jsonb NOT NULL, submitted_by text NOT NULL,
        PRIMARY KEY (model_name, version))`);
      await tx.query(`CREATE TABLE IF NOT EXISTS ${deployments} (
        deployment_id text PRIMARY KEY, model_name text NOT NULL, version int NOT NULL, environment text NOT NULL, serving boolean NOT NULL)`);
    },
    async handle(tx, message) {
      if (message.kind !== 'event') return;
      const { event } = message;
      switch (event.type) {
        case 'DatasetVersionRegistered':
          // A clearance may overtake its registration across topics: the row may already exist.
          await tx.query(
            `INSERT INTO ${datasets} (dataset_version_id, dataset_name, registered_at) VALUES ($1, $2, $3)
             ON CONFLICT (dataset_version_id) DO UPDATE SET dataset_name = excluded.dataset_name, registered_at = excluded.registered_at`,
            [event.data.datasetVersionId, event.data.datasetName, new Date(event.envelope.occurredAt).toISOString()],
          );
          return;
        case 'DatasetVersionClearedForTraining':
          // Lineage records it once a version is privacy-cleared and bias-passed (or waived); the walking
          // skeleton's stub clearance ran no gate and makes nothing eligible.
          if (event.data.gate === 'stub') return;
          await tx.query(`INSERT INTO ${datasets} (dataset_version_id, eligible) VALUES ($1, true) ON CONFLICT (dataset_version_id) DO UPDATE SET eligible = true`, [
            event.data.datasetVersionId,
          ]);
          return;
        case 'DatasetVersionTrainingEligibilityRevoked':
          await tx.query(`INSERT INTO ${datasets} (dataset_version_id, revoked) VALUES ($1, true) ON CONFLICT (dataset_version_id) DO UPDATE SET revoked = true`, [
            event.data.datasetVersionId,
          ]);
          return;
        case 'ModelVersionRegistered':
          await tx.query(`INSERT INTO ${versions} VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING`, [
            event.data.modelName, event.data.version, event.data.digest, JSON.stringify(event.data.datasetVersionIds), event.data.submittedBy ?? '',
          ]);
          return;
        case 'DeploymentRolledOut':
          if (event.data.replacedDeploymentId) await tx.query(`UPDATE ${deployments} SET serving = false WHERE deployment_id = $1`, [event.data.replacedDeploymentId]);
          await tx.query(`INSERT INTO ${deployments} VALUES ($1, $2, $3, $4, true) ON CONFLICT (deployment_id) DO UPDATE SET serving = true`, [
            event.data.deploymentId, event.data.modelName, event.data.version, event.data.environment,
          ]);
          return;
        case 'DeploymentRolledBack':
          await tx.query(`UPDATE ${deployments} SET serving = false WHERE deployment_id = $1`, [event.data.deploymentId]);
          return;
        default:
          return;
      }
    },
  };

  /**
   * The newest eligible (and not revoked) version of a dataset the model version was trained on,
   * registered after the one it used; null when there is none yet.
   */
  const newestEligibleFor = async (sql: Sql, modelName: string, version: number): Promise<string | null> => {
    const [row] = await sql.query<{ dataset_version_id: string }>(
      `SELECT fresh.dataset_version_id
         FROM ${versions} v
         CROSS JOIN LATERAL jsonb_array_elements_text(v.dataset_version_ids) AS trained(id)
         JOIN ${datasets} used ON used.dataset_version_id = trained.id
         JOIN ${datasets} fresh ON fresh.dataset_name = used.dataset_name AND fresh.sequence > used.sequence AND fresh.eligible AND NOT fresh.revoked
        WHERE v.model_name = $1 AND v.version = $2
        ORDER BY fresh.sequence DESC LIMIT 1`,
      [modelName, version],
    );
    return row?.dataset_version_id ?? null;
  };

  const modelVersion = async (sql: Sql, modelName: string, version: number): Promise<ModelVersionFacts | null> => {
    const [row] = await sql.query<{ digest: string; dataset_version_ids: string[]; submitted_by: string }>(
      `SELECT digest, dataset_version_ids, submitted_by FROM ${versions} WHERE model_name = $1 AND version = $2`, [modelName, version],
    );
    return row ? { modelName, version, digest: row.digest, datasetVersionIds: row.dataset_version_ids, submittedBy: row.submitted_by } : null;
  };

  /** The deployments serving a model version now (rolled out, not rolled back or replaced). */
  const servingDeployments = async (sql: Sql, modelName: string, version: number): Promise<string[]> => {
    const rows = await sql.query<{ deployment_id: string }>(
      `SELECT deployment_id FROM ${deployments} WHERE model_name = $1 AND version = $2 AND serving ORDER BY deployment_id`, [modelName, version],
    );
    return rows.map((r) => r.deployment_id);
  };
  return { reactor, newestEligibleFor, modelVersion, servingDeployments, tables: { datasets, versions, deployments } };
}

export type TrainingData = ReturnType<typeof trainingData>;
