import type { ModelQuarantined, RetrainingRequested, ReviewCaseOpened, Severity } from '@mgov/contracts';
import { Subject } from '@mgov/contracts';
import { assertNever, type CommandMetadata, type Decider } from '@mgov/decider';

/** What raised the alert; each model version has at most one case per detector. */
export type Detector = 'data-drift' | 'performance-decay' | 'bias-drift';

/** The stream holding the one review case of a model version and detector. */
export const reviewCaseStreamId = (modelName: string, modelVersion: number, detector: Detector) =>
  Subject.reviewCase(`${modelName}:${modelVersion}:${detector}`);

export type ReviewCaseCommand = {
  readonly type: 'RaiseAlert';
  readonly caseId: string;
  readonly alertId: string;
  readonly modelName: string;
  readonly modelVersion: number;
  readonly digest: string;
  readonly detector: Detector;
  readonly severity: Severity;
  readonly retrainingId: string;
  /** Newest dataset version cleared for training, read by the caller from lineage; null if none yet. */
  readonly newestEligibleDatasetVersionId: string | null;
  /** When a quarantine this alert causes takes effect (epoch ms), as stamped on `ModelQuarantined`. */
  readonly quarantinedAt: number;
  readonly metadata: CommandMetadata;
};

export type ReviewCaseEvent = ReviewCaseOpened | ModelQuarantined | RetrainingRequested;

export type ReviewCaseState =
  | { readonly status: 'none' }
  | { readonly status: 'open'; readonly caseId: string; readonly alertIds: readonly string[] }
  | { readonly status: 'quarantined'; readonly caseId: string; readonly alertIds: readonly string[] };

function open(command: ReviewCaseCommand): ReviewCaseOpened {
  const { caseId, modelName, modelVersion, detector, severity, alertId } = command;
  return { type: 'ReviewCaseOpened', data: { caseId, modelName, modelVersion, detector, severity, alertIds: [alertId] } };
}

function quarantine(command: ReviewCaseCommand, caseId: string): [ModelQuarantined, RetrainingRequested] {
  const { modelName, modelVersion, digest, detector, alertId, quarantinedAt, retrainingId, newestEligibleDatasetVersionId } = command;
  return [
    {
      type: 'ModelQuarantined',
      data: { modelName, modelVersion, digest, reason: `${detector} breach (alert ${alertId})`, alertIds: [alertId], quarantinedAt },
    },
    {
      type: 'RetrainingRequested',
      data: {
        retrainingId, caseId, modelName, modelVersion, datasetVersionId: newestEligibleDatasetVersionId,
        // With no fresh eligible data yet, the request waits for a dataset version to be cleared.
        status: newestEligibleDatasetVersionId === null ? 'waiting_for_data' : 'requested',
      },
    },
  ];
}

/**
 * The first alert opens the case; the first breach quarantines the version and requests retraining.
 * Everything else is already held by the case and adds nothing: a repeated alert, a later warning
 * on an open case, and any alert once the version is quarantined.
 */
function raise(command: ReviewCaseCommand, state: ReviewCaseState): ReviewCaseEvent[] {
  switch (state.status) {
    case 'none':
      return command.severity === 'breach' ? [open(command), ...quarantine(command, command.caseId)] : [open(command)];
    case 'open':
      if (state.alertIds.includes(command.alertId) || command.severity === 'warn') return [];
      return quarantine(command, state.caseId);
    case 'quarantined':
      return [];
    default:
      return assertNever(state);
  }
}

export const reviewCaseDecider: Decider<ReviewCaseCommand, ReviewCaseEvent, ReviewCaseState> = {
  initialState: () => ({ status: 'none' }),
  decide: (command, state) => {
    switch (command.type) {
      case 'RaiseAlert':
        return raise(command, state);
      default:
        return assertNever(command.type);
    }
  },
  evolve: (state, event) => {
    switch (event.type) {
      case 'ReviewCaseOpened':
        return { status: 'open', caseId: event.data.caseId, alertIds: [...event.data.alertIds] };
      case 'ModelQuarantined':
        if (state.status === 'none') return state;
        return { status: 'quarantined', caseId: state.caseId, alertIds: [...state.alertIds, ...event.data.alertIds] };
      case 'RetrainingRequested':
        return state;
      default:
        return assertNever(event);
    }
  },
};
