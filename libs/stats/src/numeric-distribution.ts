import { DEFAULT_BIN_COUNT, equalWidthEdges } from './profile-columns';
import { binIndex, histogram } from './histogram';

/** Values kept exactly per column; beyond this the column switches to a fine histogram. */
export const EXACT_VALUE_LIMIT = 65_536;
const FINE_BINS = 4096;

/** The quantiles a numeric column's summary reports. */
export const REPORTED_QUANTILES: Readonly<Record<string, number>> = { p1: 0.01, p5: 0.05, p25: 0.25, p50: 0.5, p75: 0.75, p95: 0.95, p99: 0.99 };

/**
 * The distribution of one numeric column, seen once. Up to EXACT_VALUE_LIMIT values it keeps them,
 * so histograms and quantiles are exact (the same as `profileColumns`). Past that it keeps FINE_BINS
 * equal-width bins whose range doubles whenever a value falls outside it; the coarse histogram and
 * the quantiles are then read off the fine bins, exact to within one fine bin (1/4096 of the range
 * or less) — a fixed memory cost whatever the row count, and no second pass over the file.
 */
export class NumericDistribution {
  private values: Float64Array | null = new Float64Array(64);
  private size = 0;
  private fine: Float64Array | null = null;
  private low = 0;
  private width = 0;
  private scale = 0;

  add(n: number): void {
    const fine = this.fine;
    if (fine !== null) {
      const bin = Math.floor((n - this.low) * this.scale);
      if (bin >= 0 && bin < FINE_BINS) fine[bin]! += 1;
      else this.fine![this.widen(n)]! += 1;
      return;
    }
    if (this.values !== null) {
      if (this.size === this.values.length) {
        if (this.size >= EXACT_VALUE_LIMIT) return this.switchToBins(n);
        const grown = new Float64Array(this.size * 2);
        grown.set(this.values);
        this.values = grown;
      }
      this.values[this.size++] = n;
    }
  }

  /** Counts on `bins` equal-width bins between min and max, and the reported quantiles. */
  result(min: number, max: number, bins = DEFAULT_BIN_COUNT): { edges: number[]; counts: number[]; quantiles: Record<string, number> } {
    const edges = equalWidthEdges(min, max, bins);
    if (this.values !== null) {
      const values = this.values.subarray(0, this.size).sort();
      return { edges, counts: histogram(values, edges), quantiles: exactQuantiles(values) };
    }
    return { edges, counts: this.coarseCounts(edges, min, max), quantiles: this.fineQuantiles(min, max) };
  }

  private switchToBins(n: number): void {
    const values = this.values!.subarray(0, this.size);
    this.values = null;
    let min = n;
    let max = n;
    for (const v of values) {
      if (v < min) min = v;
      if (v > max) max = v;
    }
    // Headroom on both sides, so that the first values beyond the buffer's range rarely widen it.
    const span = max > min ? max - min : Math.max(Math.abs(min), 1);
    this.width = (2 * span) / FINE_BINS;
    this.scale = 1 / this.width;
    this.low = min - span / 2;
    this.fine = new Float64Array(FINE_BINS);
    for (const v of values) this.add(v);
    this.add(n);
  }

  /** Doubles the bin width (extending the range towards `n`) until `n` fits; returns its bin. */
  private widen(n: number): number {
    for (;;) {
      const old = this.fine!;
      const fine = new Float64Array(FINE_BINS);
      const extendDown = n < this.low;
      const offset = extendDown ? FINE_BINS / 2 : 0;
      for (let j = 0; j < FINE_BINS; j += 1) fine[offset + (j >> 1)]! += old[j]!;
      if (extendDown) this.low -= FINE_BINS * this.width;
      this.width *= 2;
      this.scale = 1 / this.width;
      this.fine = fine;
      const bin = Math.floor((n - this.low) * this.scale);
      if (bin >= 0 && bin < FINE_BINS) return bin;
    }
  }

  /**
   * Fine counts spread over the coarse bins by overlap (a fine bin's values lie between min and max,
   * so its span is clipped to them first), rounded so that they still add up to the total.
   */
  private coarseCounts(edges: readonly number[], min: number, max: number): number[] {
    const shares = new Array<number>(edges.length + 1).fill(0);
    const fine = this.fine!;
    for (let j = 0; j < FINE_BINS; j += 1) {
      if (fine[j] === 0) continue;
      const from = Math.max(min, this.low + j * this.width);
      const to = Math.min(max, this.low + (j + 1) * this.width);
      if (to <= from) {
        shares[binIndex(from, edges)]! += fine[j]!;
        continue;
      }
      for (let k = 0; k <= edges.length; k += 1) {
        const lo = k === 0 ? Number.NEGATIVE_INFINITY : edges[k - 1]!;
        const hi = k === edges.length ? Number.POSITIVE_INFINITY : edges[k]!;
        const overlap = Math.min(to, hi) - Math.max(from, lo);
        if (overlap > 0) shares[k]! += (fine[j]! * overlap) / (to - from);
      }
    }
    const total = Math.round(fine.reduce((sum, count) => sum + count, 0));
    const counts = shares.map(Math.floor);
    const byRemainder = shares.map((share, k) => [share - counts[k]!, k] as const).sort((a, b) => b[0] - a[0]);
    for (let left = total - counts.reduce((a, b) => a + b, 0), i = 0; left > 0; left -= 1, i += 1) counts[byRemainder[i % counts.length]![1]]! += 1;
    return counts;
  }

  private fineQuantiles(min: number, max: number): Record<string, number> {
    const fine = this.fine!;
    const total = fine.reduce((sum, count) => sum + count, 0);
    const result: Record<string, number> = {};
    for (const [name, p] of Object.entries(REPORTED_QUANTILES)) {
      const target = p * total;
      let cumulative = 0;
      let bin = 0;
      while (bin < FINE_BINS - 1 && cumulative + fine[bin]! < target) cumulative += fine[bin++]!;
      const inside = fine[bin] === 0 ? 0 : (target - cumulative) / fine[bin]!;
      result[name] = Math.min(max, Math.max(min, this.low + (bin + inside) * this.width));
    }
    return result;
  }
}

/** Linear interpolation between closest ranks (numpy's default), over sorted values. */
function exactQuantiles(sorted: Float64Array): Record<string, number> {
  const result: Record<string, number> = {};
  if (sorted.length === 0) return result;
  for (const [name, p] of Object.entries(REPORTED_QUANTILES)) {
    const rank = p * (sorted.length - 1);
    const below = Math.floor(rank);
    const above = Math.min(sorted.length - 1, below + 1);
    result[name] = sorted[below]! + (rank - below) * (sorted[above]! - sorted[below]!);
  }
  return result;
}
