import { randomBytes, randomUUID } from 'node:crypto';
import type { DomainEvent, EnvelopedEvent } from '@mgov/contracts';
import { type Database, postgresDatabase } from '@mgov/event-store';
import { reviewCasesReadModel } from './cases-read-model';
import { retrainingsReadModel } from './retrainings-read-model';

const url = process.env.MGOV_DATABASE_URL;
const caseId = 'credit:3:data-drift#1';
const ids = { retrainingId: 'credit:3:1', caseId };
let at = Date.UTC(2030, 0, 1);
let version = 0;
const enveloped = (event: DomainEvent, actor = 'retraining'): EnvelopedEvent => ({
  ...event,
  envelope: {
    eventId: randomUUID(), eventType: event.type, streamId: 'review-case:credit:3:data-drift', streamVersion: ++version, occurredAt: (at += 1000),
    actor: { id: actor, role: 'service' }, correlationId: 'c', causationId: null, traceparent: null, tracestate: null, links: [],
  },
} as EnvelopedEvent);
const alert = (alertId: string, severity: 'warn' | 'breach'): DomainEvent => ({
  type: 'ReviewCaseAlertAdded',
  data: {
    caseId, alertId, alertType: 'DataDriftDetected', detector: 'data-drift', severity, modelName: 'credit', modelVersion: 3, digest: 'sha256:c3',
    summary: 'income: psi 0.3 past 0.25', evidence: '{"feature":"income","value":0.3}', windowIndex: 7, windowStart: 1, windowEnd: 2, datasetVersionIds: ['ds-1'], deploymentIds: ['dep-1'],
  },
});

const history: EnvelopedEvent[] = [
  { type: 'ReviewCaseOpened', data: { caseId, modelName: 'credit', modelVersion: 3, detector: 'data-drift', severity: 'warn', alertIds: ['a1'] } },
  alert('a1', 'warn'),
  alert('a2', 'breach'),
  { type: 'ModelQuarantined', data: { modelName: 'credit', modelVersion: 3, digest: 'sha256:c3', reason: 'breach', alertIds: ['a2'], quarantinedAt: 5 } },
  { type: 'RetrainingRequested', data: { ...ids, modelName: 'credit', modelVersion: 3, datasetVersionId: null, status: 'waiting_for_data' } },
  { type: 'ReviewCaseAcknowledged', data: { caseId, acknowledgedBy: 'rita', justification: 'on it, looking' } },
  { type: 'ReviewCaseNotificationFailed', data: { caseId, notificationId: 'n1', endpoint: 'http://hook', attempts: 5, lastError: 'ECONNREFUSED' } },
  { type: 'RetrainingDataSelected', data: { ...ids, datasetVersionId: 'ds-2' } },
  { type: 'RetrainingApproved', data: { ...ids, approvedBy: 'mia', justification: 'fresh data cleared' } },
  { type: 'RetrainingStarted', data: { ...ids, attempt: 1, runner: 'local-command', datasetVersionId: 'ds-2' } },
  { type: 'RetrainingAttemptFailed', data: { ...ids, attempt: 1, reason: 'exit code 1', logTail: 'oom', willRetry: true } },
  { type: 'RetrainingStarted', data: { ...ids, attempt: 2, runner: 'local-command', datasetVersionId: 'ds-2' } },
  { type: 'RetrainingSucceeded', data: { ...ids, modelName: 'credit', previousVersion: 3, runId: 'run-9', artifactDigest: 'sha256:new', datasetVersionId: 'ds-2', approvedBy: 'mia' } },
  { type: 'ModelQuarantineReleased', data: { modelName: 'credit', modelVersion: 3, digest: 'sha256:c3', caseId, releasedBy: 'rita', justification: 'retrained model under review', releasedAt: 9 } },
].map((e) => enveloped(e as DomainEvent));

// Needs a real PostgreSQL: `node tools/infra/run-with-infra.js npx jest services/retraining`.
if (!(url)) throw new Error('a real PostgreSQL (and Kafka) is needed: run the suite with tools/infra/run-with-infra.js, which sets MGOV_DATABASE_URL and MGOV_KAFKA_BROKERS');
describe('review cases and retrainings read models (on PostgreSQL)', () => {
  const schema = `retraining_rm_${randomBytes(3).toString('hex')}`;
  const cases = reviewCasesReadModel(schema);
  const retrainings = retrainingsReadModel(schema);
  let db: Database;
  const replay = async () => {
    for (const model of [cases, retrainings]) {
      await db.transaction((tx) => model.reset(tx));
      for (const event of history) await db.transaction((tx) => model.handle(tx, event));
    }
    return {
      cases: await db.query(`SELECT * FROM ${cases.table}`),
      notifications: await db.query(`SELECT notification_id, case_id, kind, status FROM ${cases.notifications} ORDER BY created_at`),
      retrainings: await db.query(`SELECT * FROM ${retrainings.table}`),
    };
  };

  beforeAll(async () => {
    db = await postgresDatabase(url!);
    await db.query(`CREATE SCHEMA ${schema}`);
    await db.transaction(async (tx) => {
      await cases.setup(tx);
      await retrainings.setup(tx);
    });
  });
  afterAll(async () => {
    await db.query(`DROP SCHEMA ${schema} CASCADE`);
    await db.close();
  });

  it('turns the events into one case and one retraining, the same after a replay', async () => {
    const first = await replay();
    expect(first.cases).toEqual([expect.objectContaining({
      case_id: caseId, status: 'acknowledged', severity: 'breach', quarantine_status: 'released', alert_ids: ['a1', 'a2'], digest: 'sha256:c3',
      dataset_version_ids: ['ds-1'], deployment_ids: ['dep-1'], retraining_id: 'credit:3:1', retraining_status: 'succeeded', retraining_dataset_version_id: 'ds-2',
      decisions: [
        expect.objectContaining({ decision: 'acknowledge', by: 'rita' }), expect.objectContaining({ decision: 'approve-retraining', by: 'mia' }),
        expect.objectContaining({ decision: 'release', by: 'rita', justification: 'retrained model under review' }),
      ],
      notifications: [{ notificationId: 'n1', outcome: 'failed', attempts: 5, detail: 'ECONNREFUSED' }],
    })]);
    expect((first.cases[0] as { alerts: unknown[] }).alerts[1]).toMatchObject({ alertId: 'a2', severity: 'breach', evidence: { feature: 'income', value: 0.3 }, windowIndex: 7 });
    // Opening notified; the breach joining the open case notified again.
    expect(first.notifications).toEqual([
      { notification_id: history[0]!.envelope.eventId, case_id: caseId, kind: 'opened', status: 'pending' },
      { notification_id: history[2]!.envelope.eventId, case_id: caseId, kind: 'breach', status: 'pending' },
    ]);
    expect(first.retrainings).toEqual([expect.objectContaining({
      retraining_id: 'credit:3:1', status: 'succeeded', dataset_version_id: 'ds-2', approved_by: 'mia', attempts: 2, last_error: 'exit code 1', log_tail: 'oom',
      run_id: 'run-9', artifact_digest: 'sha256:new',
    })]);
    expect(await replay()).toEqual(first);
  });
});
