import type { ColumnProfile, DataDriftDetected, FeatureDrift, MonitoringWindowEvaluated, Severity } from '@mgov/contracts';
import { Subject } from '@mgov/contracts';
import { assertNever, type CommandMetadata, type Decider, DomainError } from '@mgov/decider';
import type { DriftWindow } from './drift-window';
import { featureDrift } from './feature-drift';

/** PSI at or above which a feature's drift is reported. */
export interface DriftThresholds {
  readonly psiWarn: number;
  readonly psiBreach: number;
}

/** The usual PSI reading: under 0.1 stable, 0.1–0.25 worth a look, 0.25 and over a real shift. */
export const DEFAULT_DRIFT_THRESHOLDS: DriftThresholds = { psiWarn: 0.1, psiBreach: 0.25 };

/** The stream a model version's monitor writes to. */
export const monitorStreamId = (modelName: string, modelVersion: number) => Subject.monitor(modelName, modelVersion);

export type MonitorCommand = {
  readonly type: 'EvaluateWindow';
  readonly modelName: string;
  readonly modelVersion: number;
  readonly digest: string;
  /** Windows are closed in order; one at or below the last evaluated index has been seen. */
  readonly windowIndex: number;
  readonly window: DriftWindow;
  /** The training dataset's column profiles the window was built from. */
  readonly baseline: readonly ColumnProfile[];
  readonly thresholds: DriftThresholds;
  /** Alerts are `${alertIdPrefix}:${feature}`: make the prefix unique per window. */
  readonly alertIdPrefix: string;
  readonly metadata: CommandMetadata;
};

export type MonitorEvent = MonitoringWindowEvaluated | DataDriftDetected;

export type MonitorState =
  | { readonly status: 'unwatched' }
  | { readonly status: 'watching'; readonly lastWindowIndex: number };

function crossed(value: number, thresholds: DriftThresholds): { severity: Severity; threshold: number } | null {
  if (value >= thresholds.psiBreach) return { severity: 'breach', threshold: thresholds.psiBreach };
  if (value >= thresholds.psiWarn) return { severity: 'warn', threshold: thresholds.psiWarn };
  return null;
}

function validate(command: MonitorCommand) {
  const { windowIndex, thresholds, window } = command;
  if (!Number.isSafeInteger(windowIndex) || windowIndex < 0) {
    throw new DomainError('MONITORING.INVALID_WINDOW_INDEX', `window index must be a non-negative integer, got ${windowIndex}`, 400);
  }
  if (!(thresholds.psiWarn > 0 && thresholds.psiWarn <= thresholds.psiBreach)) {
    throw new DomainError('MONITORING.INVALID_THRESHOLDS', `need 0 < psiWarn <= psiBreach, got ${thresholds.psiWarn} and ${thresholds.psiBreach}`, 400);
  }
  const { predictionCount, firstEventTime, lastEventTime } = window;
  if (predictionCount === 0 || firstEventTime === null || lastEventTime === null) {
    throw new DomainError('MONITORING.EMPTY_WINDOW', `window ${windowIndex} has no predictions; close only windows that saw traffic`, 422);
  }
  return { predictionCount, windowStart: firstEventTime, windowEnd: lastEventTime };
}

function evaluate(command: MonitorCommand, state: MonitorState): MonitorEvent[] {
  // A restart replays predictions and closes the same windows again: those produce nothing new.
  if (state.status === 'watching' && command.windowIndex <= state.lastWindowIndex) return [];
  const { predictionCount, windowStart, windowEnd } = validate(command);
  const { modelName, modelVersion, digest, windowIndex, thresholds, alertIdPrefix } = command;
  const drift: FeatureDrift[] = featureDrift(command.baseline, command.window);
  const evaluated: MonitoringWindowEvaluated = {
    type: 'MonitoringWindowEvaluated',
    data: { modelName, modelVersion, windowIndex, windowStart, windowEnd, predictionCount, featureDrift: drift },
  };
  const alerts = drift.flatMap(({ feature, metric, value }): DataDriftDetected[] => {
    const level = metric === 'psi' ? crossed(value, thresholds) : null;
    if (level === null) return [];
    const alertId = `${alertIdPrefix}:${feature}`;
    return [{
      type: 'DataDriftDetected',
      data: { alertId, modelName, modelVersion, digest, ...level, feature, metric, value, windowIndex, windowStart, windowEnd },
    }];
  });
  return [evaluated, ...alerts];
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
        return state;
      default:
        return assertNever(event);
    }
  },
};
