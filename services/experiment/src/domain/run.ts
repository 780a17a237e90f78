import type { RunCompleted, RunDataLogged, RunInput, RunRefused } from '@mgov/contracts';
import { assertNever, type CommandMetadata, type Decider, DomainError } from '@mgov/decider';
import { primaryArtifact } from './primary-artifact';
import { type ActiveRunState, evolveRun, type RunEvent, type RunState } from './run-state';
import { checkBatch, invalid, type KeyValue, LIMITS, type MetricPoint, toSeries } from './tracking-limits';

export type { RunEvent, RunState } from './run-state';

/** Lower-case only, so one artifact has exactly one spelling when registry compares digests. */
export const ARTIFACT_DIGEST_PATTERN = /^sha256:[0-9a-f]{64}$/;
const SHA256_HEX = /^[0-9a-f]{64}$/;

type Meta = { readonly runId: string; readonly metadata: CommandMetadata };

export type StartRun = Meta & {
  readonly type: 'StartRun';
  readonly experimentName: string;
  readonly experimentId?: string;
  readonly runName?: string;
  readonly startTime?: number;
  readonly tags?: Readonly<Record<string, string>>;
  readonly datasetVersionIds: readonly string[];
  readonly params: Readonly<Record<string, string>>;
  /** The native API needs the data at start; MLflow runs name it later with log-inputs. */
  readonly requireDataset?: boolean;
  /** Named dataset versions that lineage has not made eligible for training, per the caller's read model. */
  readonly ineligibleDatasetVersionIds: readonly string[];
  /** Why, per version (which gate is missing), when the caller knows. */
  readonly ineligibilityReasons?: Readonly<Record<string, string>>;
};
export type LogRunData = Meta & { readonly type: 'LogRunData'; readonly metrics: readonly MetricPoint[]; readonly params: readonly KeyValue[]; readonly tags: readonly KeyValue[] };
export type LogInputs = Meta & {
  readonly type: 'LogInputs';
  readonly inputs: readonly RunInput[];
  /** Known dataset versions among the inputs that are not eligible, with the reason. */
  readonly ineligible: Readonly<Record<string, string>>;
};
export type LogArtifact = Meta & { readonly type: 'LogArtifact'; readonly path: string; readonly sha256: string; readonly size: number };
export type RecordFairness = Meta & {
  readonly type: 'RecordFairness'; readonly library: string; readonly rows: number; readonly attributes: readonly string[];
  readonly evaluationSetSha256: string; readonly metrics: readonly MetricPoint[];
};
export type EndRun = Meta & { readonly type: 'EndRun'; readonly status: 'FINISHED' | 'FAILED' | 'KILLED'; readonly endTime: number; readonly artifactDigest?: string | null };
export type CompleteRun = Meta & { readonly type: 'CompleteRun'; readonly metrics: Readonly<Record<string, number>>; readonly artifactDigest: string | null };
export type DeleteRun = Meta & { readonly type: 'DeleteRun' };

export type RunCommand = StartRun | LogRunData | LogInputs | LogArtifact | RecordFairness | EndRun | CompleteRun | DeleteRun;

function startRun(command: StartRun, state: RunState): RunEvent[] {
  if (state.status !== 'unknown') {
    throw new DomainError('EXPERIMENT.RUN_EXISTS', `run ${command.runId} already exists (${state.status}); start a new run id instead`);
  }
  if (!command.experimentName?.trim()) {
    throw new DomainError('EXPERIMENT.EXPERIMENT_NAME_REQUIRED', 'a run needs the name of the experiment it belongs to', 400);
  }
  const datasetVersionIds = [...new Set(command.datasetVersionIds)];
  if (command.requireDataset !== false && datasetVersionIds.length === 0) {
    throw new DomainError('EXPERIMENT.DATASET_REQUIRED', 'a run must name at least one dataset version it trains on', 400);
  }
  const tags = { ...(command.tags ?? {}) };
  const params = { ...command.params };
  checkBatch([], Object.entries(params).map(([key, value]) => ({ key, value })), Object.entries(tags).map(([key, value]) => ({ key, value })));
  const { runId, experimentName } = command;
  const ineligible = datasetVersionIds.filter((id) => command.ineligibleDatasetVersionIds.includes(id));
  // A refusal is a fact worth keeping (who tried to train on what), so it is recorded rather than thrown.
  if (ineligible.length > 0) return ineligible.map((id) => refusal(runId, experimentName, id, command.ineligibilityReasons?.[id]));
  const runName = command.runName ?? tags['mlflow.runName'] ?? '';
  return [{
    type: 'RunStarted',
    data: {
      runId, experimentName, datasetVersionIds, params, experimentId: command.experimentId ?? '', runName,
      startTime: command.startTime ?? command.metadata.now, user: command.metadata.actor.id, tags: runName ? { ...tags, 'mlflow.runName': runName } : tags,
    },
  }];
}

function refusal(runId: string, experimentName: string, datasetVersionId: string, why: string | undefined): RunRefused {
  return {
    type: 'RunRefused',
    data: { runId, experimentName, datasetVersionId, reason: `dataset version ${datasetVersionId} is not eligible for training${why ? `: ${why}` : ''}` },
  };
}

/** The run, if it may still take data: it exists, is not deleted, and has not ended. */
function writable(command: Meta, state: RunState): ActiveRunState {
  if (state.status === 'unknown') throw new DomainError('EXPERIMENT.RUN_NOT_FOUND', `run ${command.runId} does not exist`, 404);
  if (state.status === 'refused') {
    throw new DomainError('EXPERIMENT.RUN_NOT_ACTIVE', `run ${command.runId} was refused (it named data not eligible for training); start a new run`, 400);
  }
  if (state.deleted) throw new DomainError('EXPERIMENT.RUN_NOT_ACTIVE', `the run ${command.runId} must be in the 'active' state; it is deleted`, 400);
  if (state.status !== 'running') {
    throw new DomainError('EXPERIMENT.RUN_ENDED', `run ${command.runId} is ${state.status.toUpperCase()}; its summary is final, so log to a new run`, 400);
  }
  return state;
}

function logRunData(command: LogRunData, state: RunState): RunEvent[] {
  const run = writable(command, state);
  checkBatch(command.metrics, command.params, command.tags);
  const params = new Map<string, string>();
  for (const { key, value } of command.params) {
    const before = params.get(key) ?? run.params[key];
    if (before !== undefined && before !== value) {
      throw new DomainError('EXPERIMENT.PARAM_CHANGED',
        `Changing param values is not allowed. Param with key='${key}' was already logged with value='${before}' for run ID='${command.runId}'. Attempted logging new value '${value}'.`, 400);
    }
    if (run.params[key] === undefined) params.set(key, value);
  }
  const logged: RunDataLogged['data'] = {
    runId: command.runId, metrics: toSeries(command.metrics), params: [...params].map(([key, value]) => ({ key, value })), tags: command.tags.map((t) => ({ ...t })),
  };
  if (logged.metrics.length + logged.params.length + logged.tags.length === 0) return [];
  return [{ type: 'RunDataLogged', data: logged }];
}

function logInputs(command: LogInputs, state: RunState): RunEvent[] {
  const run = writable(command, state);
  if (command.inputs.length > LIMITS.datasetsPerCall) throw new DomainError('EXPERIMENT.BATCH_TOO_LARGE', `at most ${LIMITS.datasetsPerCall} datasets per call`, 400);
  command.inputs.forEach((input, i) => {
    if (!input.name || typeof input.name !== 'string') throw invalid(`datasets[${i}].dataset.name must be a non-empty string`);
    if (typeof input.digest !== 'string' || input.digest === '') throw invalid(`datasets[${i}].dataset.digest must be a non-empty string`);
  });
  const refused = Object.entries(command.ineligible);
  if (refused.length > 0) return refused.map(([id, why]) => refusal(command.runId, run.experimentName, id, why));
  if (command.inputs.length === 0) return [];
  return [{ type: 'RunInputsLogged', data: { runId: command.runId, inputs: command.inputs.map((i) => ({ ...i, tags: { ...i.tags } })) } }];
}

function logArtifact(command: LogArtifact, state: RunState): RunEvent[] {
  writable(command, state);
  const { runId, path, sha256, size } = command;
  if (!path || path.startsWith('/') || path.split('/').some((part) => part === '' || part === '.' || part === '..')) {
    throw invalid(`artifact path '${path}' must be relative, without empty, '.' or '..' segments`);
  }
  if (!SHA256_HEX.test(sha256)) throw invalid('an artifact sha256 is 64 lower-case hex digits');
  return [{ type: 'ArtifactLogged', data: { runId, path, sha256, size } }];
}

function recordFairness(command: RecordFairness, state: RunState): RunEvent[] {
  writable(command, state);
  checkBatch(command.metrics, [], []);
  const { runId, library, rows, attributes, evaluationSetSha256, metrics } = command;
  return [{ type: 'FairnessMetricsComputed', data: { runId, library, rows, attributes: [...attributes], evaluationSetSha256, metrics: metrics.map((m) => ({ ...m })) } }];
}

function summary(run: ActiveRunState, runId: string, explicitDigest: string | null | undefined): RunCompleted {
  const primary = primaryArtifact(run.artifacts, run.tags);
  const artifactDigest = explicitDigest !== undefined && explicitDigest !== null ? explicitDigest : primary ? `sha256:${run.artifacts[primary].sha256}` : null;
  return {
    type: 'RunCompleted',
    data: {
      runId, artifactDigest, experimentId: run.experimentId, user: run.user, status: 'FINISHED',
      metrics: Object.fromEntries(Object.entries(run.latestMetrics).map(([key, point]) => [key, point.value])),
      params: { ...run.params },
      artifacts: Object.entries(run.artifacts).map(([path, a]) => ({ path, sha256: a.sha256, size: a.size })),
      datasetVersionIds: [...run.datasetVersionIds], unknownInputs: [...run.unknownInputs], dataUnverified: run.unknownInputs.length > 0,
    },
  };
}

function endRun(command: EndRun, state: RunState): RunEvent[] {
  if (state.status !== 'unknown' && state.status !== 'refused' && state.status === command.status.toLowerCase()) return [];
  const run = writable(command, state);
  if (command.artifactDigest && !ARTIFACT_DIGEST_PATTERN.test(command.artifactDigest)) {
    throw new DomainError('EXPERIMENT.INVALID_DIGEST', 'artifactDigest must be sha256:<64 lower-case hex digits>, or null', 400);
  }
  const { runId, endTime } = command;
  switch (command.status) {
    case 'FINISHED':
      return [summary(run, runId, command.artifactDigest)];
    case 'FAILED':
      return [{ type: 'RunFailed', data: { runId, experimentId: run.experimentId, endTime } }];
    case 'KILLED':
      return [{ type: 'RunKilled', data: { runId, experimentId: run.experimentId, endTime } }];
    default:
      return assertNever(command.status);
  }
}

/** The native API's completion: final metrics (step 0) and the model's digest, in one call. */
function completeRun(command: CompleteRun, state: RunState): RunEvent[] {
  if (state.status === 'unknown') throw new DomainError('EXPERIMENT.RUN_NOT_FOUND', `run ${command.runId} does not exist; start it first`, 404);
  if (state.status !== 'running') {
    throw new DomainError('EXPERIMENT.RUN_NOT_RUNNING', `run ${command.runId} is ${state.status}; only a running run can complete`, 409);
  }
  const badMetrics = Object.entries(command.metrics).filter(([, value]) => typeof value !== 'number' || !Number.isFinite(value));
  if (badMetrics.length > 0) {
    throw new DomainError('EXPERIMENT.INVALID_METRIC', `metric(s) ${badMetrics.map(([name]) => name).join(', ')} must be finite numbers`, 400);
  }
  const { runId, artifactDigest, metadata } = command;
  if (artifactDigest !== null && !ARTIFACT_DIGEST_PATTERN.test(artifactDigest)) {
    throw new DomainError('EXPERIMENT.INVALID_DIGEST', 'artifactDigest must be sha256:<64 lower-case hex digits>, or null', 400);
  }
  const metrics = Object.entries(command.metrics).map(([key, value]) => ({ key, value, timestamp: metadata.now, step: 0 }));
  const logged = logRunData({ type: 'LogRunData', runId, metadata, metrics, params: [], tags: [] }, state);
  const after = logged.reduce(evolveRun, state) as ActiveRunState;
  return [...logged, summary(after, runId, artifactDigest)];
}

function deleteRun(command: DeleteRun, state: RunState): RunEvent[] {
  if (state.status === 'unknown') throw new DomainError('EXPERIMENT.RUN_NOT_FOUND', `run ${command.runId} does not exist`, 404);
  if (state.status === 'refused' || state.deleted) return [];
  return [{ type: 'RunDeleted', data: { runId: command.runId } }];
}

export const runDecider: Decider<RunCommand, RunEvent, RunState> = {
  initialState: () => ({ status: 'unknown' }),
  decide: (command, state) => {
    switch (command.type) {
      case 'StartRun': return startRun(command, state);
      case 'LogRunData': return logRunData(command, state);
      case 'LogInputs': return logInputs(command, state);
      case 'LogArtifact': return logArtifact(command, state);
      case 'RecordFairness': return recordFairness(command, state);
      case 'EndRun': return endRun(command, state);
      case 'CompleteRun': return completeRun(command, state);
      case 'DeleteRun': return deleteRun(command, state);
      default: return assertNever(command);
    }
  },
  evolve: evolveRun,
};
