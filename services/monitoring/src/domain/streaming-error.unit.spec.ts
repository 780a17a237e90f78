import type { Prediction } from '@mgov/contracts';
import { type ColumnSample, driftReport, profileColumns } from '@mgov/stats';
import { DEFAULT_POLICY } from './monitoring-policy';
import { countPrediction, emptyCounts, layoutOf, observe } from './window-counts';
import { windowMetrics } from './window-metrics';

// The streaming detectors see counts on the training profile's 10 equal-width bins; `mgov drift`
// computes on the raw values (PSI and JS on the reference's deciles). Both on the same data, to
// document the binned approximation's error. Printed, and bounded below.
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const normal = (rand: () => number) => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
const sample = (values: number[]): ColumnSample => ({ numbers: Float64Array.from(values), categories: null, nonNumeric: false });

const rand = random(42);
const reference = Array.from({ length: 20_000 }, () => 50 + 10 * normal(rand));
const baseline = profileColumns(reference.map((x) => ({ x })));
const layout = layoutOf(baseline);

const cases = [
  { name: 'same distribution', shift: 0, scale: 1 },
  { name: 'shift 0.1 sd', shift: 1, scale: 1 },
  { name: 'shift 0.5 sd', shift: 5, scale: 1 },
  { name: 'scale x1.5', shift: 0, scale: 1.5 },
  { name: 'shift 2 sd', shift: 20, scale: 1 },
];

const rows = cases.map(({ name, shift, scale }) => {
  const current = Array.from({ length: 5_000 }, () => 50 + shift + 10 * scale * normal(rand));
  const exact = driftReport({ reference: reference.length, current: current.length }, new Map([['x', { reference: sample(reference), current: sample(current) }]])).columns.x!;
  const counts = emptyCounts(layout);
  current.forEach((x, i) => countPrediction(counts, layout, observe(layout, {
    predictionId: `p${i}`, modelName: 'm', modelVersion: 1, modelDigest: '', eventTime: i, numericFeatures: { x }, categoricalFeatures: {},
    predictedClass: null, score: null, protectedAttributes: {}, groundTruth: null,
  } satisfies Prediction), '1'));
  const streaming = windowMetrics(baseline, {}, DEFAULT_POLICY, counts).features[0]!;
  return {
    name,
    ks: [exact.stats.ks_statistic!, streaming.metrics.ks!],
    wasserstein: [exact.stats.wasserstein_normed!, streaming.metrics.wasserstein!],
    psi: [exact.stats.psi!, streaming.metrics.psi!],
    js: [exact.stats.jensenshannon!, streaming.metrics.js!],
    drifted: [exact.drifted, streaming.drifted],
  };
});

describe('streaming (binned) drift metrics against the exact ones, on the same data', () => {
  it('documents the error', () => {
    const table = rows.map((r) => `${r.name.padEnd(18)} ${(['ks', 'wasserstein', 'psi', 'js'] as const)
      .map((m) => `${m} ${r[m][0]!.toFixed(4)}/${r[m][1]!.toFixed(4)}`).join('  ')}  drifted ${r.drifted.join('/')}`);
    process.stdout.write(`exact/streaming, 20,000 reference and 5,000 current rows, 10 equal-width baseline bins:\n${table.join('\n')}\n`);
    expect(rows).toHaveLength(5);
  });

  it('KS on bins never exceeds the exact D, and is within 0.05 of it', () => {
    for (const r of rows) {
      expect(r.ks[1]!).toBeLessThanOrEqual(r.ks[0]! + 1e-12);
      expect(r.ks[0]! - r.ks[1]!).toBeLessThan(0.05);
    }
  });

  it('normalized Wasserstein is within 0.05 absolute or 15 % of the exact value', () => {
    for (const r of rows) expect(Math.abs(r.wasserstein[1]! - r.wasserstein[0]!)).toBeLessThan(Math.max(0.05, 0.15 * r.wasserstein[0]!));
  });

  it('PSI and JS differ by binning (equal-width vs deciles) but agree on what drifted', () => {
    for (const r of rows) expect(r.drifted[1]).toBe(r.drifted[0]);
    expect(rows[0]!.psi[1]!).toBeLessThan(0.01);
    expect(rows[4]!.psi[1]!).toBeGreaterThan(0.25);
    expect(rows[4]!.psi[0]!).toBeGreaterThan(0.25);
  });
});
