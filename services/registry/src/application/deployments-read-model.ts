import type { Sql } from '@mgov/event-store';
import type { ReadModel } from '@mgov/service-runtime';

export interface DeploymentRow {
  deployment_id: string;
  model_name: string;
  version: number;
  environment: string;
  status: 'requested' | 'rolled_out' | 'failed' | 'rolled_back' | 'superseded';
  tag: string;
  digest: string;
  image: string;
  manifests_sha256: string;
  deployer: string;
  location: string | null;
  reason: string;
  error: string | null;
  requested_by: string;
  requested_at: Date;
  rolled_out_at: Date | null;
  ended_at: Date | null;
  end_reason: string | null;
  restored_version: number | null;
}

/** What was deployed where and when, and what serves each environment now: the pipeline's whole history. */
export function deploymentsReadModel(schema: string): ReadModel & { table: string } {
  const table = `${schema}.deployments_v1`;
  return {
    name: 'deployments',
    version: 1,
    table,
    async setup(tx: Sql) {
      await tx.query(`CREATE TABLE IF NOT EXISTS ${table} (
        deployment_id text PRIMARY KEY, model_name text NOT NULL, version int NOT NULL, environment text NOT NULL, status text NOT NULL,
        tag text NOT NULL, digest text NOT NULL, image text NOT NULL, manifests_sha256 text NOT NULL, deployer text NOT NULL,
        location text, reason text NOT NULL DEFAULT '', error text, requested_by text NOT NULL, requested_at timestamptz NOT NULL,
        rolled_out_at timestamptz, ended_at timestamptz, end_reason text, restored_version int)`);
      await tx.query(`CREATE INDEX IF NOT EXISTS deployments_v1_model ON ${table} (model_name, environment, requested_at)`);
    },
    async reset(tx: Sql) {
      await tx.query(`TRUNCATE ${table}`);
    },
    async handle(tx: Sql, event) {
      const at = new Date(event.envelope.occurredAt).toISOString();
      switch (event.type) {
        case 'DeploymentRequested': {
          const d = event.data;
          await tx.query(`INSERT INTO ${table} (deployment_id, model_name, version, environment, status, tag, digest, image, manifests_sha256, deployer, reason, requested_by, requested_at)
            VALUES ($1,$2,$3,$4,'requested',$5,$6,$7,$8,$9,$10,$11,$12) ON CONFLICT DO NOTHING`, [
            d.deploymentId, d.modelName, d.version, d.environment, d.tag, d.digest, d.image, d.manifestsSha256, d.deployer, d.reason, event.envelope.actor.id, at,
          ]);
          return;
        }
        case 'DeploymentRolledOut':
          await tx.query(`UPDATE ${table} SET status = 'rolled_out', location = $2, rolled_out_at = $3 WHERE deployment_id = $1`, [event.data.deploymentId, event.data.location, at]);
          if (event.data.replacedDeploymentId) {
            await tx.query(`UPDATE ${table} SET status = 'superseded', ended_at = $2, end_reason = $3 WHERE deployment_id = $1`, [
              event.data.replacedDeploymentId, at, `replaced by ${event.data.modelName}:${event.data.version}`,
            ]);
          }
          return;
        case 'DeploymentFailed':
          await tx.query(`UPDATE ${table} SET status = 'failed', error = $2, ended_at = $3 WHERE deployment_id = $1`, [event.data.deploymentId, event.data.error, at]);
          return;
        case 'DeploymentRolledBack':
          await tx.query(`UPDATE ${table} SET status = 'rolled_back', ended_at = $2, end_reason = $3, restored_version = $4 WHERE deployment_id = $1`, [
            event.data.deploymentId, at, event.data.reason, event.data.restoredVersion,
          ]);
          return;
        default:
      }
    },
  };
}
