import type {
  RetrainingApproved, RetrainingAttemptFailed, RetrainingCancelled, RetrainingDataSelected, RetrainingFailed, RetrainingRequested,
  RetrainingStarted, RetrainingSucceeded,
} from '@mgov/contracts';
import { Subject } from '@mgov/contracts';
import { assertNever, type CommandMetadata, type Decider, DomainError } from '@mgov/decider';
import { requireJustification } from './justification';

export const retrainingStreamId = (retrainingId: string) => Subject.retraining(retrainingId);

type Meta = { readonly metadata: CommandMetadata };
export type RetrainingCommand =
  | ({
      readonly type: 'Request'; readonly retrainingId: string; readonly caseId: string; readonly modelName: string; readonly modelVersion: number;
      /** The newest eligible dataset version of the model's training data lineage; null when there is none yet. */
      readonly datasetVersionId: string | null;
    } & Meta)
  | ({ readonly type: 'SelectData'; readonly datasetVersionId: string } & Meta)
  | ({ readonly type: 'Approve' | 'Cancel'; readonly justification: unknown } & Meta)
  | ({ readonly type: 'Start'; readonly attempt: number; readonly runner: string } & Meta)
  | ({ readonly type: 'FailAttempt'; readonly attempt: number; readonly reason: string; readonly logTail: string; readonly maxAttempts: number } & Meta)
  | ({ readonly type: 'Succeed'; readonly runId: string; readonly artifactDigest: string } & Meta);

export type RetrainingSagaEvent =
  | RetrainingRequested | RetrainingDataSelected | RetrainingApproved | RetrainingCancelled | RetrainingStarted | RetrainingAttemptFailed
  | RetrainingFailed | RetrainingSucceeded;

/** requested → (approved) → running → succeeded | failed, with retries; waiting_for_data until lineage has fresh data. */
export type RetrainingSagaStatus = 'waiting_for_data' | 'requested' | 'running' | 'retrying' | 'succeeded' | 'failed' | 'cancelled';

export type RetrainingState =
  | { readonly status: 'none' }
  | {
      readonly status: RetrainingSagaStatus; readonly retrainingId: string; readonly caseId: string; readonly modelName: string; readonly modelVersion: number;
      readonly datasetVersionId: string | null; readonly approvedBy: string | null; readonly attempts: number;
    };

type Known = Exclude<RetrainingState, { status: 'none' }>;
const FINISHED: readonly RetrainingSagaStatus[] = ['succeeded', 'failed', 'cancelled'];

function known(state: RetrainingState): Known {
  if (state.status === 'none') throw new DomainError('RETRAINING.NOT_FOUND', 'no such retraining; list them with GET /retraining/retrainings', 404);
  return state;
}

function request(command: Extract<RetrainingCommand, { type: 'Request' }>, state: RetrainingState): RetrainingSagaEvent[] {
  if (state.status !== 'none') return [];
  const { retrainingId, caseId, modelName, modelVersion, datasetVersionId } = command;
  return [{ type: 'RetrainingRequested', data: { retrainingId, caseId, modelName, modelVersion, datasetVersionId, status: datasetVersionId === null ? 'waiting_for_data' : 'requested' } }];
}

function decideHuman(command: Extract<RetrainingCommand, { type: 'Approve' | 'Cancel' }>, state: RetrainingState): RetrainingSagaEvent[] {
  const current = known(state);
  if (FINISHED.includes(current.status)) throw new DomainError('RETRAINING.FINISHED', `retraining ${current.retrainingId} is already ${current.status}`, 409);
  const justification = requireJustification(command.justification);
  const { retrainingId, caseId } = current;
  if (command.type === 'Cancel') return [{ type: 'RetrainingCancelled', data: { retrainingId, caseId, cancelledBy: command.metadata.actor.id, justification } }];
  if (current.approvedBy !== null) throw new DomainError('RETRAINING.ALREADY_APPROVED', `retraining ${retrainingId} was already approved by ${current.approvedBy}`, 409);
  return [{ type: 'RetrainingApproved', data: { retrainingId, caseId, approvedBy: command.metadata.actor.id, justification } }];
}

function start(command: Extract<RetrainingCommand, { type: 'Start' }>, state: RetrainingState): RetrainingSagaEvent[] {
  const current = known(state);
  const ready = (current.status === 'requested' || current.status === 'retrying') && current.approvedBy !== null && current.datasetVersionId !== null;
  if (!ready || command.attempt !== current.attempts + 1) {
    throw new DomainError('RETRAINING.NOT_READY', `retraining ${current.retrainingId} cannot start attempt ${command.attempt} (${current.status}, ${current.approvedBy ? 'approved' : 'not approved'})`, 409);
  }
  const { retrainingId, caseId } = current;
  return [{ type: 'RetrainingStarted', data: { retrainingId, caseId, attempt: command.attempt, runner: command.runner, datasetVersionId: current.datasetVersionId! } }];
}

function failAttempt(command: Extract<RetrainingCommand, { type: 'FailAttempt' }>, state: RetrainingState): RetrainingSagaEvent[] {
  // A late report about an attempt that is no longer the running one changes nothing.
  if (state.status !== 'running' || command.attempt !== state.attempts) return [];
  const { retrainingId, caseId } = state;
  const willRetry = command.attempt < command.maxAttempts;
  const failed: RetrainingAttemptFailed = { type: 'RetrainingAttemptFailed', data: { retrainingId, caseId, attempt: command.attempt, reason: command.reason, logTail: command.logTail, willRetry } };
  if (willRetry) return [failed];
  return [failed, { type: 'RetrainingFailed', data: { retrainingId, caseId, attempts: command.attempt, reason: command.reason, logTail: command.logTail } }];
}

function succeed(command: Extract<RetrainingCommand, { type: 'Succeed' }>, state: RetrainingState): RetrainingSagaEvent[] {
  if (state.status !== 'running') return [];
  const { retrainingId, caseId, modelName, modelVersion, datasetVersionId, approvedBy } = state;
  return [{
    type: 'RetrainingSucceeded',
    data: { retrainingId, caseId, modelName, previousVersion: modelVersion, runId: command.runId, artifactDigest: command.artifactDigest, datasetVersionId: datasetVersionId!, approvedBy: approvedBy! },
  }];
}

const next = (state: RetrainingState, change: Partial<Known>): RetrainingState => (state.status === 'none' ? state : { ...state, ...change });

/**
 * The retraining saga of one quarantine. A breach requests it at once; a person approves it (and so
 * becomes the submitter of the candidate it produces, which goes through the registry's review like
 * any other); it runs when it has both the approval and fresh eligible data.
 */
export const retrainingDecider: Decider<RetrainingCommand, RetrainingSagaEvent, RetrainingState> = {
  initialState: () => ({ status: 'none' }),
  decide: (command, state) => {
    switch (command.type) {
      case 'Request':
        return request(command, state);
      case 'SelectData':
        if (state.status !== 'waiting_for_data') return [];
        return [{ type: 'RetrainingDataSelected', data: { retrainingId: state.retrainingId, caseId: state.caseId, datasetVersionId: command.datasetVersionId } }];
      case 'Approve':
      case 'Cancel':
        return decideHuman(command, state);
      case 'Start':
        return start(command, state);
      case 'FailAttempt':
        return failAttempt(command, state);
      case 'Succeed':
        return succeed(command, state);
      default:
        return assertNever(command);
    }
  },
  evolve: (state, event) => {
    switch (event.type) {
      case 'RetrainingRequested': {
        const { retrainingId, caseId, modelName, modelVersion, datasetVersionId, status } = event.data;
        return { status, retrainingId, caseId, modelName, modelVersion, datasetVersionId, approvedBy: null, attempts: 0 };
      }
      case 'RetrainingDataSelected':
        return next(state, { status: 'requested', datasetVersionId: event.data.datasetVersionId });
      case 'RetrainingApproved':
        return next(state, { approvedBy: event.data.approvedBy });
      case 'RetrainingCancelled':
        return next(state, { status: 'cancelled' });
      case 'RetrainingStarted':
        return next(state, { status: 'running', attempts: event.data.attempt });
      case 'RetrainingAttemptFailed':
        return next(state, { status: event.data.willRetry ? 'retrying' : 'running' });
      case 'RetrainingFailed':
        return next(state, { status: 'failed' });
      case 'RetrainingSucceeded':
        return next(state, { status: 'succeeded' });
      default:
        return assertNever(event);
    }
  },
};
