import { histogram } from './histogram';
import { EXACT_VALUE_LIMIT, NumericDistribution } from './numeric-distribution';
import { equalWidthEdges } from './profile-columns';

function distributionOf(values: readonly number[]) {
  const distribution = new NumericDistribution();
  for (const v of values) distribution.add(v);
  return distribution.result(values.reduce((a, b) => Math.min(a, b)), values.reduce((a, b) => Math.max(a, b)));
}

describe('NumericDistribution', () => {
  it('is exact up to the value limit: histogram as profileColumns, quantiles by linear interpolation', () => {
    const values = Array.from({ length: 1001 }, (_, i) => (i * 7919) % 1001);
    const { edges, counts, quantiles } = distributionOf(values);
    expect(edges).toEqual(equalWidthEdges(0, 1000));
    expect(counts).toEqual(histogram(values, edges));
    expect(quantiles).toEqual({ p1: 10, p5: 50, p25: 250, p50: 500, p75: 750, p95: 950, p99: 990 });
  });

  it('past the limit, stays within one fine bin of the exact answer, in any arrival order', () => {
    // A range that keeps growing in both directions forces the fine bins to widen many times.
    const n = EXACT_VALUE_LIMIT * 4;
    const values = Array.from({ length: n }, (_, i) => (i % 2 ? 1 : -1) * ((i * 2_654_435_761) % n) * (1 + i / n));
    const min = values.reduce((a, b) => Math.min(a, b));
    const max = values.reduce((a, b) => Math.max(a, b));
    const { edges, counts, quantiles } = distributionOf(values);
    const exact = histogram(values, edges);
    expect(counts.reduce((a, b) => a + b)).toBe(n);
    // Each coarse edge may be off by the values of the fine bin it cuts: at most a few per thousand.
    counts.forEach((count, k) => expect(Math.abs(count - exact[k]!)).toBeLessThan(n * 0.004));
    const sorted = [...values].sort((a, b) => a - b);
    const fineWidth = (max - min) / 1024;
    expect(Math.abs(quantiles.p50! - sorted[Math.floor(n / 2)]!)).toBeLessThan(fineWidth);
    expect(Math.abs(quantiles.p99! - sorted[Math.floor(n * 0.99)]!)).toBeLessThan(fineWidth);
  });

  it('handles a constant column', () => {
    const { counts } = distributionOf(Array.from({ length: EXACT_VALUE_LIMIT + 10 }, () => 5));
    expect(counts).toEqual([0, EXACT_VALUE_LIMIT + 10, 0]);
  });
});
