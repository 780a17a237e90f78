import type { Sql } from '@mgov/event-store';
import { Topics } from '@mgov/messaging';
import type { Reactor } from '@mgov/service-runtime';

/**
 * What retraining needs to pick fresh data: every dataset version with its name, order and
 * eligibility, and the datasets each registered model version was trained on.
 */
export function trainingData(schema: string) {
  const datasets = `${schema}.dataset_versions_v1`;
  const versions = `${schema}.model_training_data_v1`;
  const reactor: Reactor = {
    name: 'training-data',
    topics: [Topics.events('lineage'), Topics.events('registry')],
    async setup(tx: Sql) {
      await tx.query(`CREATE TABLE IF NOT EXISTS ${datasets} (
        dataset_version_id text PRIMARY KEY, dataset_name text NOT NULL, registered_at timestamptz NOT NULL,
        sequence bigserial, eligible boolean NOT NULL DEFAULT false)`);
      await tx.query(`CREATE TABLE IF NOT EXISTS ${versions} (
        model_name text NOT NULL, version int NOT NULL, digest text NOT NULL, dataset_version_ids jsonb NOT NULL,
        PRIMARY KEY (model_name, version))`);
    },
    async handle(tx, message) {
      if (message.kind !== 'event') return;
      const { event } = message;
      switch (event.type) {
        case 'DatasetVersionRegistered':
          await tx.query(`INSERT INTO ${datasets} (dataset_version_id, dataset_name, registered_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`, [
            event.data.datasetVersionId, event.data.datasetName, new Date(event.envelope.occurredAt).toISOString(),
          ]);
          return;
        case 'DatasetVersionClearedForTraining':
          // Lineage records it once a version is privacy-cleared and bias-passed (or waived); the walking
          // skeleton's stub clearance ran no gate and makes nothing eligible.
          if (event.data.gate === 'stub') return;
          await tx.query(`UPDATE ${datasets} SET eligible = true WHERE dataset_version_id = $1`, [event.data.datasetVersionId]);
          return;
        case 'ModelVersionRegistered':
          await tx.query(`INSERT INTO ${versions} VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING`, [
            event.data.modelName, event.data.version, event.data.digest, JSON.stringify(event.data.datasetVersionIds),
          ]);
          return;
        default:
          return;
      }
    },
  };

  /**
   * The newest eligible version of the same dataset the model was trained on, registered after
   * the one it used; null when there is none yet.
   */
  const newestEligibleFor = async (sql: Sql, modelName: string, version: number): Promise<string | null> => {
    const [row] = await sql.query<{ dataset_version_id: string }>(
      `SELECT fresh.dataset_version_id
         FROM ${versions} v
         JOIN ${datasets} used ON used.dataset_version_id = v.dataset_version_ids->>0
         JOIN ${datasets} fresh ON fresh.dataset_name = used.dataset_name AND fresh.sequence > used.sequence AND fresh.eligible
        WHERE v.model_name = $1 AND v.version = $2
        ORDER BY fresh.sequence DESC LIMIT 1`,
      [modelName, version],
    );
    return row?.dataset_version_id ?? null;
  };
  return { reactor, newestEligibleFor };
}
