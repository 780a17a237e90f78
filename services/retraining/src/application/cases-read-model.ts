import type { EnvelopedEvent } from '@mgov/contracts';
import type { Sql } from '@mgov/event-store';
import type { ReadModel } from '@mgov/service-runtime';

export interface ReviewCaseRow {
  case_id: string;
  model_name: string;
  model_version: number;
  digest: string;
  detector: string;
  /** The worst severity seen: warn, or breach. */
  severity: string;
  status: 'open' | 'acknowledged' | 'confirmed' | 'dismissed';
  quarantine_status: 'none' | 'quarantined' | 'released';
  alert_ids: string[];
  alerts: Array<Record<string, unknown>>;
  dataset_version_ids: string[];
  deployment_ids: string[];
  decisions: Array<{ decision: string; by: string; justification: string; at: string }>;
  notifications: Array<{ notificationId: string; outcome: string; attempts: number; detail: string }>;
  opened_at: string;
  escalated_at: string | null;
  retraining_id: string | null;
  retraining_status: string | null;
  retraining_dataset_version_id: string | null;
  /** What the case is told about its retraining: waiting for data, a failure with its log tail. */
  retraining_note: string | null;
}

/** Review cases with their alerts, decisions, quarantine and retraining state, for the reviewers' queue. */
export function reviewCasesReadModel(schema: string): ReadModel & { table: string; notifications: string } {
  const table = `${schema}.review_cases_v2`;
  const notifications = `${schema}.case_notifications_v1`;
  const at = (event: EnvelopedEvent) => new Date(event.envelope.occurredAt).toISOString();
  const append = (column: string, value: unknown) => `${column} = ${column} || jsonb_build_array(${value as string}::jsonb)`;
  // The webhook payload names the event; the notifier sends what is pending (an outbox of notifications).
  const notify = (tx: Sql, event: EnvelopedEvent, caseId: string, kind: string) =>
    tx.query(`INSERT INTO ${notifications} (notification_id, case_id, kind, payload, created_at) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING`, [
      event.envelope.eventId, caseId, kind, JSON.stringify({ type: event.type, eventId: event.envelope.eventId, occurredAt: at(event), data: event.data }), at(event),
    ]);
  const decide = (tx: Sql, event: EnvelopedEvent, caseId: string, decision: string, by: string, justification: string, status: string | null) =>
    tx.query(`UPDATE ${table} SET ${append('decisions', '$2')}${status ? `, status = '${status}'` : ''} WHERE case_id = $1`, [
      caseId, JSON.stringify({ decision, by, justification, at: at(event) }),
    ]);
  const note = (tx: Sql, event: EnvelopedEvent, caseId: string, outcome: string, attempts: number, detail: string, notificationId: string) =>
    Promise.all([
      tx.query(`UPDATE ${table} SET ${append('notifications', '$2')} WHERE case_id = $1`, [caseId, JSON.stringify({ notificationId, outcome, attempts, detail })]),
      tx.query(`UPDATE ${notifications} SET status = $2 WHERE notification_id = $1`, [notificationId, outcome]),
    ]);
  return {
    name: 'review-cases',
    version: 2,
    table,
    notifications,
    async setup(tx: Sql) {
      await tx.query(`CREATE TABLE IF NOT EXISTS ${table} (
        case_id text PRIMARY KEY, model_name text NOT NULL, model_version int NOT NULL, digest text NOT NULL, detector text NOT NULL,
        severity text NOT NULL, status text NOT NULL, quarantine_status text NOT NULL DEFAULT 'none',
        alert_ids jsonb NOT NULL DEFAULT '[]', alerts jsonb NOT NULL DEFAULT '[]', dataset_version_ids jsonb NOT NULL DEFAULT '[]',
        deployment_ids jsonb NOT NULL DEFAULT '[]', decisions jsonb NOT NULL DEFAULT '[]', notifications jsonb NOT NULL DEFAULT '[]',
        opened_at timestamptz NOT NULL, escalated_at timestamptz,
        retraining_id text, retraining_status text, retraining_dataset_version_id text, retraining_note text)`);
      await tx.query(`CREATE TABLE IF NOT EXISTS ${notifications} (
        notification_id text PRIMARY KEY, case_id text NOT NULL, kind text NOT NULL, payload jsonb NOT NULL, created_at timestamptz NOT NULL,
        status text NOT NULL DEFAULT 'pending')`);
    },
    async reset(tx: Sql) {
      await tx.query(`TRUNCATE ${table}, ${notifications}`);
    },
    async handle(tx: Sql, event) {
      switch (event.type) {
        case 'ReviewCaseOpened': {
          const d = event.data;
          await tx.query(`INSERT INTO ${table} (case_id, model_name, model_version, digest, detector, severity, status, opened_at)
            VALUES ($1, $2, $3, '', $4, $5, 'open', $6) ON CONFLICT DO NOTHING`, [d.caseId, d.modelName, d.modelVersion, d.detector, d.severity, at(event)]);
          await notify(tx, event, d.caseId, 'opened');
          return;
        }
        case 'ReviewCaseAlertAdded': {
          const { caseId, datasetVersionIds, deploymentIds, evidence, ...alert } = event.data;
          const [joined] = await tx.query<{ alerts: number }>(
            `UPDATE ${table} SET ${append('alert_ids', '$2')}, ${append('alerts', '$3')}, digest = $4, dataset_version_ids = $5, deployment_ids = $6,
               severity = CASE WHEN $7 = 'breach' THEN 'breach' ELSE severity END
             WHERE case_id = $1 AND NOT alert_ids ? $8 RETURNING jsonb_array_length(alert_ids) AS alerts`,
            [caseId, JSON.stringify(alert.alertId), JSON.stringify({ ...alert, evidence: JSON.parse(evidence) as unknown, receivedAt: at(event) }), alert.digest,
              JSON.stringify(datasetVersionIds), JSON.stringify(deploymentIds), alert.severity, alert.alertId],
          );
          // The opening already notified; a breach joining an open case is news too.
          if (alert.severity === 'breach' && joined && joined.alerts > 1) await notify(tx, event, caseId, 'breach');
          return;
        }
        case 'ReviewCaseAcknowledged':
          return void (await decide(tx, event, event.data.caseId, 'acknowledge', event.data.acknowledgedBy, event.data.justification, 'acknowledged'));
        case 'ReviewCaseConfirmed':
          return void (await decide(tx, event, event.data.caseId, 'confirm', event.data.confirmedBy, event.data.justification, 'confirmed'));
        case 'ReviewCaseDismissed':
          return void (await decide(tx, event, event.data.caseId, 'dismiss', event.data.dismissedBy, event.data.justification, 'dismissed'));
        case 'ReviewCaseEscalated':
          await tx.query(`UPDATE ${table} SET escalated_at = $2 WHERE case_id = $1`, [event.data.caseId, at(event)]);
          await notify(tx, event, event.data.caseId, 'escalated');
          return;
        case 'ReviewCaseNotificationDelivered':
          return void (await note(tx, event, event.data.caseId, 'delivered', event.data.attempts, `HTTP ${event.data.statusCode}`, event.data.notificationId));
        case 'ReviewCaseNotificationFailed':
          return void (await note(tx, event, event.data.caseId, 'failed', event.data.attempts, event.data.lastError, event.data.notificationId));
        case 'ModelQuarantined':
          await tx.query(`UPDATE ${table} SET quarantine_status = 'quarantined' WHERE model_name = $1 AND model_version = $2 AND status <> 'dismissed'`, [
            event.data.modelName, event.data.modelVersion,
          ]);
          return;
        case 'ModelQuarantineReleased':
          await tx.query(`UPDATE ${table} SET quarantine_status = 'released' WHERE model_name = $1 AND model_version = $2 AND quarantine_status = 'quarantined'`, [
            event.data.modelName, event.data.modelVersion,
          ]);
          await decide(tx, event, event.data.caseId, 'release', event.data.releasedBy, event.data.justification, null);
          return;
        case 'RetrainingRequested':
          await tx.query(`UPDATE ${table} SET retraining_id = $2, retraining_status = $3, retraining_dataset_version_id = $4, retraining_note = $5 WHERE case_id = $1`, [
            event.data.caseId, event.data.retrainingId, event.data.status, event.data.datasetVersionId,
            event.data.datasetVersionId === null ? 'waiting for a newer dataset version of the training data to become eligible for training' : null,
          ]);
          return;
        case 'RetrainingDataSelected':
          return void (await retraining(tx, table, event.data.caseId, 'requested', `fresh data arrived: ${event.data.datasetVersionId}`, event.data.datasetVersionId));
        case 'RetrainingApproved':
          return void (await decide(tx, event, event.data.caseId, 'approve-retraining', event.data.approvedBy, event.data.justification, null));
        case 'RetrainingCancelled':
          await decide(tx, event, event.data.caseId, 'cancel-retraining', event.data.cancelledBy, event.data.justification, null);
          return void (await retraining(tx, table, event.data.caseId, 'cancelled', null));
        case 'RetrainingStarted':
          return void (await retraining(tx, table, event.data.caseId, 'running', `attempt ${event.data.attempt} on ${event.data.runner}`));
        case 'RetrainingAttemptFailed':
          return void (await retraining(tx, table, event.data.caseId, event.data.willRetry ? 'retrying' : 'running',
            `attempt ${event.data.attempt} failed: ${event.data.reason}\n${event.data.logTail}`));
        case 'RetrainingFailed':
          return void (await retraining(tx, table, event.data.caseId, 'failed', `failed after ${event.data.attempts} attempt(s): ${event.data.reason}\n${event.data.logTail}`));
        case 'RetrainingSucceeded':
          return void (await retraining(tx, table, event.data.caseId, 'succeeded', `run ${event.data.runId} produced ${event.data.artifactDigest}; sent to the registry's review as a candidate`));
        default:
          return;
      }
    },
  };
}

function retraining(tx: Sql, table: string, caseId: string, status: string, note: string | null, datasetVersionId?: string) {
  return tx.query(
    `UPDATE ${table} SET retraining_status = $2, retraining_note = $3${datasetVersionId ? ', retraining_dataset_version_id = $4' : ''} WHERE case_id = $1`,
    datasetVersionId ? [caseId, status, note, datasetVersionId] : [caseId, status, note],
  );
}
