import type { RunCompleted, RunRefused, RunStarted } from '@mgov/contracts';
import { assertNever, type CommandMetadata, type Decider, DomainError } from '@mgov/decider';

/** Lower-case only, so one artifact has exactly one spelling when registry compares digests. */
export const ARTIFACT_DIGEST_PATTERN = /^sha256:[0-9a-f]{64}$/;

export type StartRun = {
  readonly type: 'StartRun';
  readonly runId: string;
  readonly experimentName: string;
  readonly datasetVersionIds: readonly string[];
  readonly params: Readonly<Record<string, string>>;
  /** Named dataset versions that lineage has not made eligible for training, per the caller's read model. */
  readonly ineligibleDatasetVersionIds: readonly string[];
  /** Why, per version (which gate is missing), when the caller knows. */
  readonly ineligibilityReasons?: Readonly<Record<string, string>>;
  readonly metadata: CommandMetadata;
};

export type CompleteRun = {
  readonly type: 'CompleteRun';
  readonly runId: string;
  readonly metrics: Readonly<Record<string, number>>;
  readonly artifactDigest: string | null;
  readonly metadata: CommandMetadata;
};

export type RunCommand = StartRun | CompleteRun;

export type RunEvent = RunStarted | RunRefused | RunCompleted;

export type RunState =
  | { readonly status: 'unknown' }
  | { readonly status: 'refused'; readonly experimentName: string; readonly refusedDatasetVersionIds: readonly string[] }
  | { readonly status: 'running'; readonly experimentName: string; readonly datasetVersionIds: readonly string[] }
  | {
      readonly status: 'finished';
      readonly experimentName: string;
      readonly datasetVersionIds: readonly string[];
      readonly artifactDigest: string | null;
    };

function startRun(command: StartRun, state: RunState): RunEvent[] {
  if (state.status !== 'unknown') {
    throw new DomainError('EXPERIMENT.RUN_EXISTS', `run ${command.runId} already exists (${state.status}); start a new run id instead`);
  }
  if (!command.experimentName?.trim()) {
    throw new DomainError('EXPERIMENT.EXPERIMENT_NAME_REQUIRED', 'a run needs the name of the experiment it belongs to', 400);
  }
  const datasetVersionIds = [...new Set(command.datasetVersionIds)];
  if (datasetVersionIds.length === 0) {
    throw new DomainError('EXPERIMENT.DATASET_REQUIRED', 'a run must name at least one dataset version it trains on', 400);
  }
  const { runId, experimentName } = command;
  const ineligible = datasetVersionIds.filter((id) => command.ineligibleDatasetVersionIds.includes(id));
  // A refusal is a fact worth keeping (who tried to train on what), so it is recorded rather than thrown.
  if (ineligible.length > 0) {
    return ineligible.map((datasetVersionId): RunRefused => ({
      type: 'RunRefused',
      data: {
        runId, experimentName, datasetVersionId,
        reason: `dataset version ${datasetVersionId} is not eligible for training${command.ineligibilityReasons?.[datasetVersionId] ? `: ${command.ineligibilityReasons[datasetVersionId]}` : ''}`,
      },
    }));
  }
  return [{ type: 'RunStarted', data: { runId, experimentName, datasetVersionIds, params: { ...command.params } } }];
}

function completeRun(command: CompleteRun, state: RunState): RunEvent[] {
  if (state.status === 'unknown') {
    throw new DomainError('EXPERIMENT.RUN_NOT_FOUND', `run ${command.runId} does not exist; start it first`, 404);
  }
  if (state.status !== 'running') {
    throw new DomainError('EXPERIMENT.RUN_NOT_RUNNING', `run ${command.runId} is ${state.status}; only a running run can complete`, 409);
  }
  const badMetrics = Object.entries(command.metrics).filter(([, value]) => typeof value !== 'number' || !Number.isFinite(value));
  if (badMetrics.length > 0) {
    const names = badMetrics.map(([name]) => name).join(', ');
    throw new DomainError('EXPERIMENT.INVALID_METRIC', `metric(s) ${names} must be finite numbers`, 400);
  }
  const { runId, artifactDigest } = command;
  if (artifactDigest !== null && !ARTIFACT_DIGEST_PATTERN.test(artifactDigest)) {
    throw new DomainError('EXPERIMENT.INVALID_DIGEST', 'artifactDigest must be sha256:<64 lower-case hex digits>, or null', 400);
  }
  return [{
    type: 'RunCompleted',
    data: {
      runId, metrics: { ...command.metrics }, artifactDigest, experimentId: '', user: '', status: 'FINISHED', params: {}, artifacts: [],
      datasetVersionIds: [], unknownInputs: [], dataUnverified: false,
    },
  }];
}

function evolve(state: RunState, event: RunEvent): RunState {
  switch (event.type) {
    case 'RunStarted':
      return { status: 'running', experimentName: event.data.experimentName, datasetVersionIds: event.data.datasetVersionIds };
    case 'RunRefused': {
      const refusedBefore = state.status === 'refused' ? state.refusedDatasetVersionIds : [];
      return { status: 'refused', experimentName: event.data.experimentName, refusedDatasetVersionIds: [...refusedBefore, event.data.datasetVersionId] };
    }
    case 'RunCompleted':
      return state.status === 'running' ? { ...state, status: 'finished', artifactDigest: event.data.artifactDigest } : state;
    default:
      return assertNever(event);
  }
}

export const runDecider: Decider<RunCommand, RunEvent, RunState> = {
  initialState: () => ({ status: 'unknown' }),
  decide: (command, state) => {
    switch (command.type) {
      case 'StartRun':
        return startRun(command, state);
      case 'CompleteRun':
        return completeRun(command, state);
      default:
        return assertNever(command);
    }
  },
  evolve,
};
