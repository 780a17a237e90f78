import type { ColumnProfile, Prediction } from '@mgov/contracts';
import { profileColumns } from '@mgov/stats';
import { deciderSpec } from '@mgov/testing';
import { type MonitorCommand, monitorDecider } from './monitor';
import { applyPolicyChange, DEFAULT_POLICY } from './monitoring-policy';
import { addLabelToRing, addToRing, closeUntil, type ClosedWindow, newRing } from './window-ring';
import { layoutOf, observe } from './window-counts';
import { windowMetrics } from './window-metrics';

const metadata = { actor: { id: 'monitoring', role: 'service' }, now: 1_790_000_000_000, correlationId: 'c' };
const regions = ['north', 'south', 'east', 'west'];
const training = Array.from({ length: 2_000 }, (_, i) => ({ income: (i * 37) % 1_000, region: regions[i % 4]! }));
const baseline: ColumnProfile[] = profileColumns(training);
const layout = layoutOf(baseline);
const runMetrics = { accuracy: 0.9, f1: 0.9, 'fairness.sex.demographic_parity_difference': 0.02 };

let seq = 0;
function prediction(row: { income: number; region: string }, extra: Partial<Prediction> = {}): Prediction {
  seq += 1;
  return {
    predictionId: `p${seq}`, modelName: 'loans', modelVersion: 3, modelDigest: 'sha256:3', eventTime: 1_000 + seq,
    numericFeatures: { income: row.income }, categoricalFeatures: { region: row.region }, predictedClass: '1', score: 0.8,
    protectedAttributes: {}, groundTruth: null, ...extra,
  };
}

/** Feeds rows through a tumbling ring of `size` events; returns the closed windows. */
function windowsOf(rows: readonly Prediction[], policy = applyPolicyChange(DEFAULT_POLICY, { window: { unit: 'events', size: rows.length, slide: rows.length } }, 1)) {
  const ring = newRing(layout, policy);
  return { ring, policy, closed: rows.flatMap((p) => addToRing(ring, layout, observe(layout, p), policy.performance.positiveClass)) };
}

function command(window: ClosedWindow, policy = DEFAULT_POLICY): MonitorCommand {
  return {
    type: 'EvaluateWindow', modelName: 'loans', modelVersion: 3, digest: 'sha256:3', window: window.descriptor, policy,
    metrics: windowMetrics(baseline, runMetrics, policy, window.counts), metadata,
  };
}

const spec = deciderSpec(monitorDecider);
const alertsOf = (events: readonly { type: string; data: unknown }[]) => events.filter((e) => e.type !== 'MonitoringWindowEvaluated');

describe('monitor decider', () => {
  it('a window like training: evaluated, no alert', () => {
    const { closed } = windowsOf(training.slice(0, 400).map((r) => prediction(r)));
    const events = monitorDecider.decide(command(closed[0]!), monitorDecider.initialState());
    expect(events[0]).toEqual({ type: 'MonitoringWindowEvaluated', data: expect.objectContaining({ windowIndex: 0, predictionCount: 400, windowKind: 'tumbling', policyVersion: 0 }) });
    expect(alertsOf(events)).toEqual([]);
  });

  it('a shifted feature: a data drift breach on it and on the drift share', () => {
    const { closed } = windowsOf(training.slice(0, 400).map((r) => prediction({ ...r, income: r.income + 5_000 })));
    spec.given([]).when(command(closed[0]!)).then([
      expect.objectContaining({ type: 'MonitoringWindowEvaluated' }),
      { type: 'DataDriftDetected', data: expect.objectContaining({ alertId: 'alert:loans:3:0:data:income', severity: 'breach', feature: 'income', metric: 'psi', threshold: 0.25 }) },
      { type: 'DataDriftDetected', data: expect.objectContaining({ alertId: 'alert:loans:3:0:data:*', severity: 'breach', feature: '*', metric: 'drift_share', value: 0.5 }) },
    ]);
  });

  it('performance decay against the run metrics, only with enough labels', () => {
    // 120 labelled, 60 % right: accuracy 0.6 against 0.9 is a 33 % drop.
    const rows = training.slice(0, 120).map((r, i) => prediction(r, { predictedClass: i % 5 < 3 ? '1' : '0', groundTruth: '1' }));
    const { closed } = windowsOf(rows);
    const events = monitorDecider.decide(command(closed[0]!), monitorDecider.initialState());
    expect(alertsOf(events)).toContainEqual({ type: 'PerformanceDecayDetected', data: expect.objectContaining({
      alertId: 'alert:loans:3:0:performance:accuracy', severity: 'breach', value: expect.closeTo(0.6, 9), baseline: 0.9, relativeDrop: expect.closeTo(1 / 3, 9), labelledCount: 120,
    }) });
    const few = windowsOf(rows.slice(0, 50)).closed[0]!;
    expect(alertsOf(monitorDecider.decide(command(few), monitorDecider.initialState())).filter((e) => e.type === 'PerformanceDecayDetected')).toEqual([]);
  });

  it('bias drift: demographic parity difference grown past the baseline', () => {
    const rows = training.slice(0, 200).map((r, i) => prediction(r, { protectedAttributes: { sex: i % 2 ? 'f' : 'm' }, predictedClass: i % 2 ? (i % 4 === 1 ? '1' : '0') : '1' }));
    const { closed } = windowsOf(rows);
    const events = alertsOf(monitorDecider.decide(command(closed[0]!), monitorDecider.initialState()));
    expect(events).toContainEqual({ type: 'BiasDriftDetected', data: expect.objectContaining({
      alertId: 'alert:loans:3:0:bias:sex:demographic_parity_difference', severity: 'breach', attribute: 'sex', value: 0.5, baseline: 0.02, selectionRates: { m: 1, f: 0.5 },
    }) });
    expect(events).toContainEqual({ type: 'BiasDriftDetected', data: expect.objectContaining({ metric: 'disparate_impact', value: 0.5, severity: 'breach' }) });
  });

  it('a replayed window decides nothing; the next one does', () => {
    const { closed } = windowsOf(training.slice(0, 100).map((r) => prediction({ ...r, income: r.income + 5_000 })));
    const first = monitorDecider.decide(command(closed[0]!), monitorDecider.initialState());
    spec.given(first).when(command(closed[0]!)).then([]);
    const next = { ...closed[0]!, descriptor: { ...closed[0]!.descriptor, index: 1 } };
    spec.given(first).when(command(next)).then(expect.arrayContaining([expect.objectContaining({ type: 'MonitoringWindowEvaluated' })]));
  });

  it('refuses an empty window and a bad policy', () => {
    const { closed } = windowsOf(training.slice(0, 10).map((r) => prediction(r)));
    spec.given([]).when({ ...command(closed[0]!), window: { ...closed[0]!.descriptor, predictionCount: 0 } }).thenThrows('MONITORING.EMPTY_WINDOW');
    expect(() => applyPolicyChange(DEFAULT_POLICY, { dataDrift: { band: { warn: 0.3, breach: 0.2 } } }, 1)).toThrow(expect.objectContaining({ code: 'MONITORING.INVALID_POLICY' }));
    expect(() => applyPolicyChange(DEFAULT_POLICY, { window: { size: 100, slide: 30 } }, 1)).toThrow(/divisor/);
  });
});

describe('window rings', () => {
  it('sliding windows: one evaluation per slide once the ring is full, each over the last `size` events', () => {
    const policy = applyPolicyChange(DEFAULT_POLICY, { window: { unit: 'events', size: 100, slide: 25 } }, 2);
    const ring = newRing(layout, policy);
    const closed = training.slice(0, 250).flatMap((r) => addToRing(ring, layout, observe(layout, prediction(r)), '1'));
    expect(closed.map((w) => [w.descriptor.index, w.descriptor.kind, w.descriptor.predictionCount])).toEqual(
      [3, 4, 5, 6, 7, 8, 9].map((i) => [i, 'sliding', 100]),
    );
  });

  it('time windows close when event time passes them; late events are counted, not windowed', () => {
    const policy = applyPolicyChange(DEFAULT_POLICY, { window: { unit: 'ms', size: 1_000, slide: 1_000 } }, 3);
    const ring = newRing(layout, policy);
    const at = (t: number) => addToRing(ring, layout, observe(layout, prediction(training[t % 100]!, { eventTime: t })), '1');
    expect([at(10), at(500), at(999)].flat()).toEqual([]);
    const closed = at(1_200);
    expect(closed.map((w) => [w.descriptor.index, w.descriptor.start, w.descriptor.end, w.descriptor.predictionCount])).toEqual([[0, 10, 999, 3]]);
    expect(at(300)).toEqual([]);
    expect(ring.late).toBe(1);
  });

  it('a time window closes once the watermark passes it, without waiting for the model\'s next prediction', () => {
    const policy = applyPolicyChange(DEFAULT_POLICY, { window: { unit: 'ms', size: 2_000, slide: 1_000 } }, 5);
    const ring = newRing(layout, policy);
    const at = (t: number) => addToRing(ring, layout, observe(layout, prediction(training[t % 100]!, { eventTime: t })), '1');
    expect(closeUntil(ring, layout, 5_000)).toEqual([]);
    [10, 400, 1_100, 1_900].forEach(at);
    expect(closeUntil(ring, layout, 1_999)).toEqual([]);
    const closed = closeUntil(ring, layout, 2_000);
    expect(closed.map((w) => [w.descriptor.index, w.descriptor.kind, w.descriptor.start, w.descriptor.end, w.descriptor.predictionCount])).toEqual([[1, 'sliding', 10, 1_900, 4]]);
    // Once closed, the same watermark closes nothing again; a prediction before it is late.
    expect(closeUntil(ring, layout, 2_000)).toEqual([]);
    expect(at(1_950)).toEqual([]);
    expect(ring.late).toBe(1);
    // Event-count windows are not closed by time.
    const counted = newRing(layout, DEFAULT_POLICY);
    at(3_000);
    expect(closeUntil(counted, layout, 10_000)).toEqual([]);
  });

  it('memory does not grow with traffic: the ring has the same size after 10 and after 200 windows', () => {
    const policy = applyPolicyChange(DEFAULT_POLICY, { window: { unit: 'events', size: 200, slide: 50 } }, 4);
    const ring = newRing(layout, policy);
    const sizeAfter = (windows: number) => {
      for (let i = 0; i < windows * 50; i += 1) {
        const row = training[i % training.length]!;
        const p = prediction(row, { categoricalFeatures: { region: `r${i % 500}` }, protectedAttributes: { g: `g${i % 300}` }, groundTruth: i % 10 ? null : String(i % 7) });
        addToRing(ring, layout, observe(layout, p), '1');
        addLabelToRing(ring, layout, p, `c${i % 200}`, '1');
      }
      return JSON.stringify(ring).length;
    };
    sizeAfter(10);
    const after10 = sizeAfter(10);
    const after200 = sizeAfter(190);
    // Unknown categories, groups and classes are capped; counts only get more digits.
    expect(after200).toBeLessThan(after10 * 1.05);
  });
});
