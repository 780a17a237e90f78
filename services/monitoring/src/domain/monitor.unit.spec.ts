import type { ColumnProfile, MonitoringWindowEvaluated, Prediction } from '@mgov/contracts';
import { profileColumns } from '@mgov/stats';
import { deciderSpec } from '@mgov/testing';
import { addPrediction, type DriftWindow, emptyWindow } from './drift-window';
import { DEFAULT_DRIFT_THRESHOLDS, type MonitorCommand, monitorDecider } from './monitor';

const metadata = { actor: { id: 'monitoring', role: 'service' }, now: 1_790_000_000_000, correlationId: 'c' };
const regions = ['north', 'south', 'east', 'west'];
const training = Array.from({ length: 1_000 }, (_, i) => ({ income: (i * 37) % 1_000, region: regions[i % 4] }));
const baseline: ColumnProfile[] = profileColumns(training);

function windowOf(rows: readonly { income: number; region: string }[], columns: readonly ColumnProfile[] = baseline): DriftWindow {
  return rows.reduce((window, row, i) => addPrediction(window, {
    predictionId: `p${i}`, modelName: 'loans', modelVersion: 3, modelDigest: 'sha256:3', eventTime: 1_000 + i,
    numericFeatures: { income: row.income }, categoricalFeatures: { region: row.region }, predictedClass: null, score: null,
    protectedAttributes: {}, groundTruth: null,
  } satisfies Prediction), emptyWindow(columns));
}

function evaluate(windowIndex: number, window: DriftWindow, columns: readonly ColumnProfile[] = baseline): MonitorCommand {
  return {
    type: 'EvaluateWindow', modelName: 'loans', modelVersion: 3, digest: 'sha256:3', windowIndex, window, baseline: columns,
    thresholds: DEFAULT_DRIFT_THRESHOLDS, alertIdPrefix: `alert:loans:3:${windowIndex}`, metadata,
  };
}

const spec = deciderSpec(monitorDecider);
const likeTraining = windowOf(training.slice(0, 400));
const shiftedIncome = windowOf(training.slice(0, 400).map((row) => ({ ...row, income: row.income + 5_000 })));
const evaluated = (windowIndex: number): MonitoringWindowEvaluated => ({
  type: 'MonitoringWindowEvaluated',
  data: { modelName: 'loans', modelVersion: 3, windowIndex, windowStart: 1_000, windowEnd: 1_399, predictionCount: 400, featureDrift: [] },
});

describe('monitor', () => {
  it('raises no alert for a window drawn from the training distribution', () => {
    spec.given([]).when(evaluate(0, likeTraining)).then([{
      type: 'MonitoringWindowEvaluated',
      data: {
        modelName: 'loans', modelVersion: 3, windowIndex: 0, windowStart: 1_000, windowEnd: 1_399, predictionCount: 400,
        // closeTo(0, 1) is |value| < 0.05: sampling noise, well under the 0.1 warning.
        featureDrift: [
          { feature: 'income', metric: 'psi', value: expect.closeTo(0, 1) },
          { feature: 'income', metric: 'js', value: expect.closeTo(0, 1) },
          { feature: 'region', metric: 'psi', value: expect.closeTo(0, 6) },
          { feature: 'region', metric: 'js', value: expect.closeTo(0, 6) },
        ],
      },
    }]);
  });

  it('reports a breach on the shifted feature only', () => {
    spec.given([]).when(evaluate(0, shiftedIncome)).then([
      { type: 'MonitoringWindowEvaluated', data: expect.objectContaining({ windowIndex: 0, predictionCount: 400 }) },
      {
        type: 'DataDriftDetected',
        data: {
          alertId: 'alert:loans:3:0:income', modelName: 'loans', modelVersion: 3, digest: 'sha256:3', severity: 'breach',
          feature: 'income', metric: 'psi', value: expect.any(Number), threshold: 0.25, windowIndex: 0, windowStart: 1_000, windowEnd: 1_399,
        },
      },
    ]);
  });

  it('warns between the thresholds, with the hand-computed PSI', () => {
    const twoBins: ColumnProfile[] = [{ name: 'x', kind: 'numeric', count: 100, missing: 0, binEdges: [1], binCounts: [50, 50], categoryCounts: {} }];
    const window = [...Array(25).fill(0), ...Array(75).fill(2)].reduce((w: DriftWindow, x: number, i) => addPrediction(w, {
      predictionId: `p${i}`, modelName: 'loans', modelVersion: 3, modelDigest: 'sha256:3', eventTime: i, numericFeatures: { x },
      categoricalFeatures: {}, predictedClass: null, score: null, protectedAttributes: {}, groundTruth: null,
    }), emptyWindow(twoBins));
    const command = { ...evaluate(7, window, twoBins), thresholds: { psiWarn: 0.1, psiBreach: 0.3 } };
    const psi = 0.25 * Math.log(2) + 0.25 * Math.log(1.5);
    spec.given([]).when(command).then([
      expect.objectContaining({ type: 'MonitoringWindowEvaluated' }),
      { type: 'DataDriftDetected', data: expect.objectContaining({ alertId: 'alert:loans:3:7:x', severity: 'warn', value: expect.closeTo(psi, 10), threshold: 0.1 }) },
    ]);
  });

  it('produces nothing when a window already evaluated is replayed', () => {
    spec.given([evaluated(0)]).when(evaluate(0, shiftedIncome)).then([]);
    spec.given([evaluated(0), evaluated(1)]).when(evaluate(1, likeTraining)).then([]);
    spec.given([evaluated(0)]).when(evaluate(1, likeTraining)).then([expect.objectContaining({ type: 'MonitoringWindowEvaluated' })]);
  });

  it('refuses a window with no predictions', () => {
    spec.given([]).when(evaluate(0, emptyWindow(baseline))).thenThrows('MONITORING.EMPTY_WINDOW');
  });

  it('refuses a window built on another baseline, and thresholds out of order', () => {
    const other = profileColumns(training.map((row) => ({ ...row, income: row.income * 2 })));
    spec.given([]).when(evaluate(0, windowOf(training.slice(0, 10), other))).thenThrows('MONITORING.BASELINE_MISMATCH');
    spec.given([]).when({ ...evaluate(0, likeTraining), thresholds: { psiWarn: 0.3, psiBreach: 0.2 } }).thenThrows('MONITORING.INVALID_THRESHOLDS');
  });
});
