import type {
  ArtifactLogged, FairnessMetricsComputed, RunCompleted, RunDataLogged, RunDeleted, RunFailed, RunInputsLogged, RunKilled, RunRefused, RunStarted,
} from '@mgov/contracts';
import { assertNever } from '@mgov/decider';
import { isLater, latestOfSeries, type MetricPoint } from './tracking-limits';

export type RunEvent =
  | RunStarted | RunRefused | RunCompleted | RunDataLogged | RunInputsLogged | ArtifactLogged | FairnessMetricsComputed | RunFailed | RunKilled | RunDeleted;

/** What a run has accumulated, whatever its status. */
export interface RunRecord {
  readonly experimentId: string;
  readonly experimentName: string;
  readonly user: string;
  readonly params: Readonly<Record<string, string>>;
  readonly tags: Readonly<Record<string, string>>;
  readonly latestMetrics: Readonly<Record<string, MetricPoint>>;
  readonly datasetVersionIds: readonly string[];
  readonly unknownInputs: readonly string[];
  readonly artifacts: Readonly<Record<string, { readonly sha256: string; readonly size: number }>>;
  readonly deleted: boolean;
}

export type RunState =
  | { readonly status: 'unknown' }
  | { readonly status: 'refused'; readonly experimentName: string; readonly refusedDatasetVersionIds: readonly string[] }
  | ({ readonly status: 'running' } & RunRecord)
  | ({ readonly status: 'finished' | 'failed' | 'killed' } & RunRecord);

export type ActiveRunState = Extract<RunState, RunRecord>;

const withMetrics = (state: ActiveRunState, points: readonly MetricPoint[]): ActiveRunState => {
  const latestMetrics = { ...state.latestMetrics };
  for (const point of points) if (isLater(point, latestMetrics[point.key])) latestMetrics[point.key] = point;
  return { ...state, latestMetrics };
};

function evolveRecorded(state: ActiveRunState, event: RunEvent): RunState {
  switch (event.type) {
    case 'RunDataLogged': {
      const params = { ...state.params };
      for (const p of event.data.params) params[p.key] = p.value;
      const tags = { ...state.tags };
      for (const t of event.data.tags) tags[t.key] = t.value;
      return withMetrics({ ...state, params, tags }, latestOfSeries(event.data.metrics));
    }
    case 'FairnessMetricsComputed':
      return withMetrics(state, event.data.metrics);
    case 'RunInputsLogged': {
      const known = event.data.inputs.flatMap((i) => (i.datasetVersionId ? [i.datasetVersionId] : []));
      const unknown = event.data.inputs.filter((i) => !i.datasetVersionId).map((i) => i.digest ? `${i.name}@${i.digest}` : i.name);
      return {
        ...state,
        datasetVersionIds: [...new Set([...state.datasetVersionIds, ...known])],
        unknownInputs: [...new Set([...state.unknownInputs, ...unknown])],
      };
    }
    case 'ArtifactLogged':
      return { ...state, artifacts: { ...state.artifacts, [event.data.path]: { sha256: event.data.sha256, size: event.data.size } } };
    case 'RunCompleted':
      return { ...state, status: 'finished' };
    case 'RunFailed':
      return { ...state, status: 'failed' };
    case 'RunKilled':
      return { ...state, status: 'killed' };
    case 'RunDeleted':
      return { ...state, deleted: true };
    case 'RunRefused':
      // An input refused on a running run is recorded; the run itself carries on without it.
      return state;
    case 'RunStarted':
      return state;
    default:
      return assertNever(event);
  }
}

export function evolveRun(state: RunState, event: RunEvent): RunState {
  if (event.type === 'RunStarted') {
    const d = event.data;
    return {
      status: 'running', experimentId: d.experimentId, experimentName: d.experimentName, user: d.user, params: { ...d.params }, tags: { ...d.tags },
      latestMetrics: {}, datasetVersionIds: [...d.datasetVersionIds], unknownInputs: [], artifacts: {}, deleted: false,
    };
  }
  if (state.status === 'unknown' || state.status === 'refused') {
    if (event.type !== 'RunRefused') return state;
    const before = state.status === 'refused' ? state.refusedDatasetVersionIds : [];
    return { status: 'refused', experimentName: event.data.experimentName, refusedDatasetVersionIds: [...before, event.data.datasetVersionId] };
  }
  return evolveRecorded(state, event);
}
