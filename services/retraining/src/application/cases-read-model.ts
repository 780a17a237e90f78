import type { Sql } from '@mgov/event-store';
import type { ReadModel } from '@mgov/service-runtime';

export interface ReviewCaseRow {
  case_id: string;
  model_name: string;
  model_version: number;
  detector: string;
  severity: string;
  status: 'open' | 'quarantined';
  alert_ids: string[];
  retraining_id: string | null;
  retraining_status: string | null;
  retraining_dataset_version_id: string | null;
}

/** Review cases with their quarantine and retraining state, for the reviewers' queue. */
export function reviewCasesReadModel(schema: string): ReadModel & { table: string } {
  const table = `${schema}.review_cases_v1`;
  return {
    name: 'review-cases',
    version: 1,
    table,
    async setup(tx: Sql) {
      await tx.query(`CREATE TABLE IF NOT EXISTS ${table} (
        case_id text PRIMARY KEY, model_name text NOT NULL, model_version int NOT NULL, detector text NOT NULL,
        severity text NOT NULL, status text NOT NULL, alert_ids jsonb NOT NULL, opened_at timestamptz NOT NULL,
        retraining_id text, retraining_status text, retraining_dataset_version_id text)`);
    },
    async reset(tx: Sql) {
      await tx.query(`TRUNCATE ${table}`);
    },
    async handle(tx: Sql, event) {
      switch (event.type) {
        case 'ReviewCaseOpened': {
          const d = event.data;
          await tx.query(`INSERT INTO ${table} (case_id, model_name, model_version, detector, severity, status, alert_ids, opened_at)
            VALUES ($1,$2,$3,$4,$5,'open',$6,$7) ON CONFLICT DO NOTHING`,
          [d.caseId, d.modelName, d.modelVersion, d.detector, d.severity, JSON.stringify(d.alertIds), new Date(event.envelope.occurredAt).toISOString()]);
          return;
        }
        case 'ModelQuarantined':
          await tx.query(`UPDATE ${table} SET status = 'quarantined', severity = 'breach' WHERE model_name = $1 AND model_version = $2`, [
            event.data.modelName, event.data.modelVersion,
          ]);
          return;
        case 'RetrainingRequested':
          await tx.query(`UPDATE ${table} SET retraining_id = $2, retraining_status = $3, retraining_dataset_version_id = $4 WHERE case_id = $1`, [
            event.data.caseId, event.data.retrainingId, event.data.status, event.data.datasetVersionId,
          ]);
          return;
        default:
          return;
      }
    },
  };
}
