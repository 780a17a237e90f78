import type { ReviewCaseAlertAdded, ReviewCaseOpened } from '@mgov/contracts';
import { deciderSpec } from '@mgov/testing';
import { type AlertEvidence, type Detector, type ReviewCaseCommand, type ReviewCaseEvent, reviewCaseDecider, reviewCaseStreamId } from './review-case';

const metadata = { actor: { id: 'rita', role: 'model-reviewer' }, now: 1_790_000_000_000, correlationId: 'c', causationId: 'e1' };
const evidence = (alertId: string, severity: 'warn' | 'breach'): AlertEvidence & { detector: Detector } => ({
  alertId, alertType: 'DataDriftDetected', detector: 'data-drift', severity, modelName: 'loans', modelVersion: 3, digest: 'sha256:3',
  summary: 'income psi 0.31 > 0.25', evidence: '{"feature":"income"}', windowIndex: 4, windowStart: 1, windowEnd: 2, datasetVersionIds: ['ds-1'], deploymentIds: [],
});
const raise = (alertId: string, severity: 'warn' | 'breach' = 'warn'): ReviewCaseCommand => ({ type: 'RaiseAlert', alert: evidence(alertId, severity), metadata });
const opened = (alertId: string, severity: 'warn' | 'breach' = 'warn', n = 1): ReviewCaseOpened => ({
  type: 'ReviewCaseOpened', data: { caseId: `loans:3:data-drift#${n}`, modelName: 'loans', modelVersion: 3, detector: 'data-drift', severity, alertIds: [alertId] },
});
const added = (alertId: string, severity: 'warn' | 'breach' = 'warn', n = 1): ReviewCaseAlertAdded => ({
  type: 'ReviewCaseAlertAdded', data: { ...evidence(alertId, severity), caseId: `loans:3:data-drift#${n}` },
});
const decision = (type: 'Acknowledge' | 'Dismiss' | 'Confirm', caseId = 'loans:3:data-drift#1', justification: unknown = 'looked at the window, real'): ReviewCaseCommand => ({
  type, caseId, justification, metadata,
});
const acknowledged: ReviewCaseEvent = { type: 'ReviewCaseAcknowledged', data: { caseId: 'loans:3:data-drift#1', acknowledgedBy: 'rita', justification: 'looked at the window, real' } };
const dismissed: ReviewCaseEvent = { type: 'ReviewCaseDismissed', data: { caseId: 'loans:3:data-drift#1', dismissedBy: 'rita', justification: 'looked at the window, real' } };
const spec = deciderSpec(reviewCaseDecider);

describe('review case', () => {
  it('lives on one stream per model version and detector', () => {
    expect(reviewCaseStreamId('loans', 3, 'data-drift')).toBe('review-case:loans:3:data-drift');
  });

  it('opens on the first alert, holding its evidence', () => {
    spec.given([]).when(raise('a1')).then([opened('a1'), added('a1')]);
  });

  it('adds later alerts to the open case instead of opening another', () => {
    spec.given([opened('a1'), added('a1')]).when(raise('a2', 'breach')).then([added('a2', 'breach')]);
    spec.given([opened('a1'), added('a1'), acknowledged]).when(raise('a2')).then([added('a2')]);
  });

  it('ignores an alert delivered twice', () => {
    spec.given([opened('a1'), added('a1')]).when(raise('a1')).then([]);
    spec.given([opened('a1'), added('a1'), dismissed]).when(raise('a1')).then([]);
  });

  it('opens case #2 for an alert after a dismissal', () => {
    spec.given([opened('a1'), added('a1'), dismissed]).when(raise('a2', 'breach')).then([opened('a2', 'breach', 2), added('a2', 'breach', 2)]);
  });

  it('records decisions with the actor and justification', () => {
    spec.given([opened('a1'), added('a1')]).when(decision('Acknowledge')).then([acknowledged]);
    spec.given([opened('a1'), added('a1')]).when(decision('Dismiss')).then([dismissed]);
    spec.given([opened('a1'), added('a1'), acknowledged]).when(decision('Confirm')).then([
      { type: 'ReviewCaseConfirmed', data: { caseId: 'loans:3:data-drift#1', confirmedBy: 'rita', justification: 'looked at the window, real' } },
    ]);
  });

  it('refuses a decision on an unknown or closed case, a second acknowledgement and a missing justification', () => {
    spec.given([]).when(decision('Acknowledge')).thenThrows('RETRAINING.CASE_NOT_FOUND');
    spec.given([opened('a1'), added('a1')]).when(decision('Acknowledge', 'loans:3:data-drift#7')).thenThrows('RETRAINING.CASE_NOT_FOUND');
    spec.given([opened('a1'), added('a1'), dismissed]).when(decision('Confirm')).thenThrows('RETRAINING.CASE_CLOSED');
    spec.given([opened('a1'), added('a1'), dismissed, opened('a2', 'warn', 2)]).when(decision('Acknowledge')).thenThrows('RETRAINING.CASE_CLOSED');
    spec.given([opened('a1'), added('a1'), acknowledged]).when(decision('Acknowledge')).thenThrows('RETRAINING.CASE_ALREADY_ACKNOWLEDGED');
    spec.given([opened('a1'), added('a1')]).when(decision('Dismiss', undefined, 'no')).thenThrows('RETRAINING.JUSTIFICATION_REQUIRED');
  });

  it('escalates an unacknowledged case once, after its deadline only', () => {
    const escalate = (now: number): ReviewCaseCommand => ({ type: 'Escalate', caseId: 'loans:3:data-drift#1', openedAt: 100, deadline: 1000, metadata: { ...metadata, now } });
    const escalated: ReviewCaseEvent = { type: 'ReviewCaseEscalated', data: { caseId: 'loans:3:data-drift#1', modelName: 'loans', modelVersion: 3, openedAt: 100, deadline: 1000, escalatedAt: 1500 } };
    spec.given([opened('a1'), added('a1')]).when(escalate(999)).then([]);
    spec.given([opened('a1'), added('a1')]).when(escalate(1500)).then([escalated]);
    spec.given([opened('a1'), added('a1'), escalated]).when(escalate(2000)).then([]);
    spec.given([opened('a1'), added('a1'), acknowledged]).when(escalate(1500)).then([]);
  });

  it('records each notification outcome once', () => {
    const failed: ReviewCaseCommand = { type: 'RecordNotification', caseId: 'loans:3:data-drift#1', notificationId: 'n1', endpoint: 'http://hook', attempts: 5, outcome: { delivered: false, lastError: 'ECONNREFUSED' }, metadata };
    const event: ReviewCaseEvent = { type: 'ReviewCaseNotificationFailed', data: { caseId: 'loans:3:data-drift#1', notificationId: 'n1', endpoint: 'http://hook', attempts: 5, lastError: 'ECONNREFUSED' } };
    spec.given([opened('a1'), added('a1')]).when(failed).then([event]);
    spec.given([opened('a1'), added('a1'), event]).when(failed).then([]);
  });
});
