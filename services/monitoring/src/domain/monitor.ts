import type {
  BiasDriftDetected, DataDriftDetected, MonitoringWindowEvaluated, PerformanceDecayDetected, Severity,
} from '@mgov/contracts';
import { Subject } from '@mgov/contracts';
import { assertNever, type CommandMetadata, type Decider, DomainError } from '@mgov/decider';
import type { Band, MonitoringPolicy } from './monitoring-policy';
import type { WindowMetrics } from './window-metrics';

/** The stream a model version's monitor writes to. */
export const monitorStreamId = (modelName: string, modelVersion: number) => Subject.monitor(modelName, modelVersion);

export interface WindowDescriptor {
  /** Closed in order; one at or below the last evaluated index has been seen (a replay). */
  readonly index: number;
  readonly kind: 'tumbling' | 'sliding';
  readonly unit: 'events' | 'ms';
  readonly size: number;
  readonly start: number;
  readonly end: number;
  readonly predictionCount: number;
}

export type MonitorCommand = {
  readonly type: 'EvaluateWindow';
  readonly modelName: string;
  readonly modelVersion: number;
  readonly digest: string;
  readonly window: WindowDescriptor;
  readonly metrics: WindowMetrics;
  readonly policy: MonitoringPolicy;
  readonly metadata: CommandMetadata;
};

export type MonitorEvent = MonitoringWindowEvaluated | DataDriftDetected | PerformanceDecayDetected | BiasDriftDetected;

export type MonitorState =
  | { readonly status: 'unwatched' }
  | { readonly status: 'watching'; readonly lastWindowIndex: number };

/** Severity of a value that is worse the larger it is. */
export function above(value: number, band: Band): { severity: Severity; threshold: number } | null {
  if (value >= band.breach) return { severity: 'breach', threshold: band.breach };
  if (value >= band.warn) return { severity: 'warn', threshold: band.warn };
  return null;
}

function below(value: number, band: Band): { severity: Severity; threshold: number } | null {
  if (value <= band.breach) return { severity: 'breach', threshold: band.breach };
  if (value <= band.warn) return { severity: 'warn', threshold: band.warn };
  return null;
}

function validate({ window }: MonitorCommand) {
  if (!Number.isSafeInteger(window.index) || window.index < 0) {
    throw new DomainError('MONITORING.INVALID_WINDOW_INDEX', `window index must be a non-negative integer, got ${window.index}`, 400);
  }
  if (window.predictionCount === 0) {
    throw new DomainError('MONITORING.EMPTY_WINDOW', `window ${window.index} has no predictions; close only windows that saw traffic`, 422);
  }
}

function alertsOf(command: MonitorCommand): MonitorEvent[] {
  const { modelName, modelVersion, digest, window, metrics, policy } = command;
  const common = { modelName, modelVersion, digest, windowIndex: window.index, windowStart: window.start, windowEnd: window.end };
  const id = (...parts: string[]) => ['alert', modelName, modelVersion, window.index, ...parts].join(':');
  const events: MonitorEvent[] = [];
  for (const feature of metrics.features) {
    const value = feature.metrics[policy.dataDrift.metric];
    const level = value === undefined ? null : above(value, policy.dataDrift.band);
    if (level) events.push({ type: 'DataDriftDetected', data: { ...common, alertId: id('data', feature.feature), ...level, feature: feature.feature, metric: policy.dataDrift.metric, value: value! } });
  }
  const share = above(metrics.driftShare, policy.dataDrift.driftShare);
  if (share && metrics.features.length > 0) {
    events.push({ type: 'DataDriftDetected', data: { ...common, alertId: id('data', '*'), ...share, feature: '*', metric: 'drift_share', value: metrics.driftShare } });
  }
  if (metrics.labelledCount >= policy.performance.minLabelled) {
    for (const { metric, value, baseline } of metrics.performance) {
      if (baseline === null || !(baseline > 0)) continue;
      const relativeDrop = (baseline - value) / baseline;
      const level = above(relativeDrop, policy.performance.band);
      if (level) {
        events.push({ type: 'PerformanceDecayDetected', data: { ...common, alertId: id('performance', metric), ...level, metric, value, baseline, relativeDrop, labelledCount: metrics.labelledCount } });
      }
    }
  }
  for (const { attribute, metric, value, baseline, selectionRates } of metrics.bias) {
    // With a baseline, what counts is how much worse the window is than the reviewed model was.
    const level = metric === 'disparate_impact'
      ? below(baseline === null ? value : 1 - Math.max(0, baseline - value), policy.bias.disparateImpact)
      : above(baseline === null ? value : value - baseline, policy.bias.gap);
    if (level) {
      events.push({ type: 'BiasDriftDetected', data: { ...common, alertId: id('bias', attribute, metric), ...level, attribute, metric, value, baseline, selectionRates } });
    }
  }
  return events;
}

function evaluate(command: MonitorCommand, state: MonitorState): MonitorEvent[] {
  // A restart replays events and closes the same windows again: those produce nothing new.
  if (state.status === 'watching' && command.window.index <= state.lastWindowIndex) return [];
  validate(command);
  const { modelName, modelVersion, window, metrics, policy } = command;
  const evaluated: MonitoringWindowEvaluated = {
    type: 'MonitoringWindowEvaluated',
    data: {
      modelName, modelVersion, windowIndex: window.index, windowStart: window.start, windowEnd: window.end, predictionCount: window.predictionCount,
      featureDrift: metrics.features.flatMap((f) => Object.entries(f.metrics).map(([metric, value]) => ({ feature: f.feature, metric, value }))),
      windowKind: window.kind, windowUnit: window.unit, windowSize: window.size, policyVersion: policy.version,
      driftShare: metrics.driftShare, labelledCount: metrics.labelledCount,
      performance: metrics.performance.map(({ metric, value, baseline }) => ({ metric, value, baseline })),
      bias: metrics.bias.map(({ attribute, metric, value, baseline }) => ({ attribute, metric, value, baseline })),
    },
  };
  return [evaluated, ...alertsOf(command)];
}

export const monitorDecider: Decider<MonitorCommand, MonitorEvent, MonitorState> = {
  initialState: () => ({ status: 'unwatched' }),
  decide: (command, state) => {
    switch (command.type) {
      case 'EvaluateWindow':
        return evaluate(command, state);
      default:
        return assertNever(command.type);
    }
  },
  evolve: (state, event) => {
    switch (event.type) {
      case 'MonitoringWindowEvaluated': {
        const index = event.data.windowIndex;
        return { status: 'watching', lastWindowIndex: state.status === 'watching' ? Math.max(state.lastWindowIndex, index) : index };
      }
      case 'DataDriftDetected':
      case 'PerformanceDecayDetected':
      case 'BiasDriftDetected':
        return state;
      default:
        return assertNever(event);
    }
  },
};
