import type { ModelQuarantined, RetrainingRequested, ReviewCaseOpened } from '@mgov/contracts';
import { deciderSpec } from '@mgov/testing';
import { type ReviewCaseCommand, reviewCaseDecider, reviewCaseStreamId } from './review-case';

const metadata = { actor: { id: 'retraining', role: 'service' }, now: 1_790_000_000_000, correlationId: 'c', causationId: 'e1' };
const alert = (alertId: string, severity: 'warn' | 'breach', newest: string | null = 'ds-7'): ReviewCaseCommand => ({
  type: 'RaiseAlert', caseId: 'loans:3:data-drift', alertId, modelName: 'loans', modelVersion: 3, digest: 'sha256:3',
  detector: 'data-drift', severity, retrainingId: `retraining:${alertId}`, newestEligibleDatasetVersionId: newest,
  quarantinedAt: 1_790_000_000_000, metadata,
});
const opened = (alertId: string, severity: 'warn' | 'breach'): ReviewCaseOpened => ({
  type: 'ReviewCaseOpened',
  data: { caseId: 'loans:3:data-drift', modelName: 'loans', modelVersion: 3, detector: 'data-drift', severity, alertIds: [alertId] },
});
const quarantined = (alertId: string): ModelQuarantined => ({
  type: 'ModelQuarantined',
  data: {
    modelName: 'loans', modelVersion: 3, digest: 'sha256:3', reason: `data-drift breach (alert ${alertId})`, alertIds: [alertId],
    quarantinedAt: 1_790_000_000_000,
  },
});
const retraining = (alertId: string, datasetVersionId: string | null = 'ds-7'): RetrainingRequested => ({
  type: 'RetrainingRequested',
  data: {
    retrainingId: `retraining:${alertId}`, caseId: 'loans:3:data-drift', modelName: 'loans', modelVersion: 3, datasetVersionId,
    status: datasetVersionId === null ? 'waiting_for_data' : 'requested',
  },
});
const spec = deciderSpec(reviewCaseDecider);

describe('review case', () => {
  it('lives on one stream per model version and detector', () => {
    expect(reviewCaseStreamId('loans', 3, 'data-drift')).toBe('review-case:loans:3:data-drift');
  });

  it('opens on a warning without quarantining', () => {
    spec.given([]).when(alert('a1', 'warn')).then([opened('a1', 'warn')]);
  });

  it('turns a breach into exactly one case, one quarantine and one retraining request', () => {
    spec.given([]).when(alert('a1', 'breach')).then([opened('a1', 'breach'), quarantined('a1'), retraining('a1')]);
  });

  it('waits for data when lineage has no eligible dataset version', () => {
    spec.given([]).when(alert('a1', 'breach', null)).then([opened('a1', 'breach'), quarantined('a1'), retraining('a1', null)]);
  });

  it('produces nothing the second time the same alert is delivered', () => {
    spec.given([opened('a1', 'warn')]).when(alert('a1', 'warn')).then([]);
    spec.given([opened('a1', 'breach'), quarantined('a1'), retraining('a1')]).when(alert('a1', 'breach')).then([]);
  });

  it('holds later warnings in the open case without new events', () => {
    spec.given([opened('a1', 'warn')]).when(alert('a2', 'warn')).then([]);
  });

  it('quarantines an open case on its first breach, under the case it already has', () => {
    spec.given([opened('a1', 'warn')]).when({ ...alert('a2', 'breach'), caseId: 'another-id' }).then([quarantined('a2'), retraining('a2')]);
  });

  it('does not quarantine the same version twice', () => {
    spec.given([opened('a1', 'breach'), quarantined('a1'), retraining('a1')]).when(alert('a2', 'breach')).then([]);
    spec.given([opened('a1', 'warn'), quarantined('a2'), retraining('a2')]).when(alert('a3', 'breach')).then([]);
  });
});
