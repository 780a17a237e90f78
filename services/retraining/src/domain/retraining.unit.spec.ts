import type { RetrainingRequested } from '@mgov/contracts';
import { deciderSpec } from '@mgov/testing';
import { type RetrainingCommand, retrainingDecider, type RetrainingSagaEvent } from './retraining';

const metadata = { actor: { id: 'mia', role: 'ml-engineer' }, now: 1_790_000_000_000, correlationId: 'c' };
const ids = { retrainingId: 'loans:3:1', caseId: 'loans:3:data-drift#1' };
const request = (datasetVersionId: string | null = 'ds-7'): RetrainingCommand => ({ type: 'Request', ...ids, modelName: 'loans', modelVersion: 3, datasetVersionId, metadata });
const requested = (datasetVersionId: string | null = 'ds-7'): RetrainingRequested => ({
  type: 'RetrainingRequested', data: { ...ids, modelName: 'loans', modelVersion: 3, datasetVersionId, status: datasetVersionId === null ? 'waiting_for_data' : 'requested' },
});
const approved: RetrainingSagaEvent = { type: 'RetrainingApproved', data: { ...ids, approvedBy: 'mia', justification: 'fresh data is cleared' } };
const started = (attempt: number): RetrainingSagaEvent => ({ type: 'RetrainingStarted', data: { ...ids, attempt, runner: 'local-command', datasetVersionId: 'ds-7' } });
const human = (type: 'Approve' | 'Cancel', justification: unknown = 'fresh data is cleared'): RetrainingCommand => ({ type, justification, metadata });
const start = (attempt: number): RetrainingCommand => ({ type: 'Start', attempt, runner: 'local-command', metadata });
const fail = (attempt: number): RetrainingCommand => ({ type: 'FailAttempt', attempt, reason: 'exit code 1', logTail: 'boom', maxAttempts: 2, metadata });
const attemptFailed = (attempt: number, willRetry: boolean): RetrainingSagaEvent => ({
  type: 'RetrainingAttemptFailed', data: { ...ids, attempt, reason: 'exit code 1', logTail: 'boom', willRetry },
});
const spec = deciderSpec(retrainingDecider);

describe('retraining saga', () => {
  it('is requested once, with the newest eligible data or waiting for it', () => {
    spec.given([]).when(request()).then([requested()]);
    spec.given([]).when(request(null)).then([requested(null)]);
    spec.given([requested()]).when(request()).then([]);
  });

  it('takes fresh data once it arrives while waiting, and only then', () => {
    const select: RetrainingCommand = { type: 'SelectData', datasetVersionId: 'ds-8', metadata };
    spec.given([requested(null)]).when(select).then([{ type: 'RetrainingDataSelected', data: { ...ids, datasetVersionId: 'ds-8' } }]);
    spec.given([requested()]).when(select).then([]);
  });

  it('is approved once, by a person who says why', () => {
    spec.given([requested()]).when(human('Approve')).then([approved]);
    spec.given([requested(), approved]).when(human('Approve')).thenThrows('RETRAINING.ALREADY_APPROVED');
    spec.given([requested()]).when(human('Approve', '')).thenThrows('RETRAINING.JUSTIFICATION_REQUIRED');
    spec.given([]).when(human('Approve')).thenThrows('RETRAINING.NOT_FOUND');
  });

  it('starts only approved and with data, one attempt at a time', () => {
    spec.given([requested(), approved]).when(start(1)).then([started(1)]);
    spec.given([requested()]).when(start(1)).thenThrows('RETRAINING.NOT_READY');
    spec.given([requested(null), approved]).when(start(1)).thenThrows('RETRAINING.NOT_READY');
    spec.given([requested(), approved, started(1)]).when(start(1)).thenThrows('RETRAINING.NOT_READY');
  });

  it('retries a failed attempt, then fails for good with the log tail', () => {
    spec.given([requested(), approved, started(1)]).when(fail(1)).then([attemptFailed(1, true)]);
    spec.given([requested(), approved, started(1), attemptFailed(1, true)]).when(start(2)).then([started(2)]);
    spec.given([requested(), approved, started(1), attemptFailed(1, true), started(2)]).when(fail(2)).then([
      attemptFailed(2, false), { type: 'RetrainingFailed', data: { ...ids, attempts: 2, reason: 'exit code 1', logTail: 'boom' } },
    ]);
    spec.given([requested(), approved, started(1), attemptFailed(1, true), started(2)]).when(fail(1)).then([]);
  });

  it('succeeds into a candidate submitted by the approver, never approved by itself', () => {
    const succeed: RetrainingCommand = { type: 'Succeed', runId: 'run-9', artifactDigest: 'sha256:abc', metadata };
    spec.given([requested(), approved, started(1)]).when(succeed).then([{
      type: 'RetrainingSucceeded',
      data: { ...ids, modelName: 'loans', previousVersion: 3, runId: 'run-9', artifactDigest: 'sha256:abc', datasetVersionId: 'ds-7', approvedBy: 'mia' },
    }]);
    spec.given([requested(), approved]).when(succeed).then([]);
  });

  it('can be cancelled until it finishes', () => {
    const cancelled: RetrainingSagaEvent = { type: 'RetrainingCancelled', data: { ...ids, cancelledBy: 'mia', justification: 'fresh data is cleared' } };
    spec.given([requested(), approved, started(1)]).when(human('Cancel')).then([cancelled]);
    spec.given([requested(), cancelled]).when(human('Approve')).thenThrows('RETRAINING.FINISHED');
    spec.given([requested(), cancelled]).when(human('Cancel')).thenThrows('RETRAINING.FINISHED');
    spec.given([requested(), approved, started(1), cancelled]).when({ type: 'Succeed', runId: 'r', artifactDigest: 'sha256:x', metadata }).then([]);
  });
});
