import type { EnvelopedEvent } from '@mgov/contracts';
import type { Sql } from '@mgov/event-store';
import type { ReadModel } from '@mgov/service-runtime';

export interface RetrainingRow {
  retraining_id: string;
  case_id: string;
  model_name: string;
  model_version: number;
  status: string;
  dataset_version_id: string | null;
  approved_by: string | null;
  attempts: number;
  runner: string | null;
  started_at: string | null;
  last_error: string | null;
  log_tail: string | null;
  run_id: string | null;
  artifact_digest: string | null;
  requested_at: string;
  updated_at: string;
}

/** Retrainings and where each stands; the retraining worker reads it to know what to do next. */
export function retrainingsReadModel(schema: string): ReadModel & { table: string } {
  const table = `${schema}.retrainings_v1`;
  const at = (event: EnvelopedEvent) => new Date(event.envelope.occurredAt).toISOString();
  const set = (tx: Sql, event: EnvelopedEvent, id: string, columns: Record<string, unknown>) => {
    const names = Object.keys(columns);
    return tx.query(`UPDATE ${table} SET updated_at = $2${names.map((n, i) => `, ${n} = $${i + 3}`).join('')} WHERE retraining_id = $1`, [
      id, at(event), ...Object.values(columns),
    ]);
  };
  return {
    name: 'retrainings',
    version: 1,
    table,
    async setup(tx: Sql) {
      await tx.query(`CREATE TABLE IF NOT EXISTS ${table} (
        retraining_id text PRIMARY KEY, case_id text NOT NULL, model_name text NOT NULL, model_version int NOT NULL, status text NOT NULL,
        dataset_version_id text, approved_by text, attempts int NOT NULL DEFAULT 0, runner text, started_at timestamptz, last_error text, log_tail text,
        run_id text, artifact_digest text, requested_at timestamptz NOT NULL, updated_at timestamptz NOT NULL)`);
    },
    async reset(tx: Sql) {
      await tx.query(`TRUNCATE ${table}`);
    },
    async handle(tx: Sql, event) {
      switch (event.type) {
        case 'RetrainingRequested': {
          const d = event.data;
          await tx.query(`INSERT INTO ${table} (retraining_id, case_id, model_name, model_version, status, dataset_version_id, requested_at, updated_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $7) ON CONFLICT DO NOTHING`, [d.retrainingId, d.caseId, d.modelName, d.modelVersion, d.status, d.datasetVersionId, at(event)]);
          return;
        }
        case 'RetrainingDataSelected':
          return void (await set(tx, event, event.data.retrainingId, { status: 'requested', dataset_version_id: event.data.datasetVersionId }));
        case 'RetrainingApproved':
          return void (await set(tx, event, event.data.retrainingId, { approved_by: event.data.approvedBy }));
        case 'RetrainingCancelled':
          return void (await set(tx, event, event.data.retrainingId, { status: 'cancelled' }));
        case 'RetrainingStarted':
          return void (await set(tx, event, event.data.retrainingId, { status: 'running', attempts: event.data.attempt, runner: event.data.runner, started_at: at(event) }));
        case 'RetrainingAttemptFailed':
          return void (await set(tx, event, event.data.retrainingId, {
            status: event.data.willRetry ? 'retrying' : 'running', last_error: event.data.reason, log_tail: event.data.logTail,
          }));
        case 'RetrainingFailed':
          return void (await set(tx, event, event.data.retrainingId, { status: 'failed', last_error: event.data.reason, log_tail: event.data.logTail }));
        case 'RetrainingSucceeded':
          return void (await set(tx, event, event.data.retrainingId, { status: 'succeeded', run_id: event.data.runId, artifact_digest: event.data.artifactDigest }));
        default:
          return;
      }
    },
  };
}
