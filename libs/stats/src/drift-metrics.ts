import gammainc from '@stdlib/math-base-special-gammainc';

/**
 * Proportion an empty bin is given in PSI. Without it a bin empty on one side would make the
 * logarithm infinite; 1e-4 keeps that bin's term large (≈ p·ln(p/1e-4)) but finite.
 */
export const PSI_EPSILON = 1e-4;

function proportions(counts: readonly number[], side: string): number[] {
  let total = 0;
  for (const count of counts) {
    if (!Number.isFinite(count) || count < 0) throw new RangeError(`${side} counts must be finite and non-negative, got ${count}`);
    total += count;
  }
  if (total === 0) throw new RangeError(`${side} counts are all zero: there is no distribution to compare`);
  return counts.map((count) => count / total);
}

function pair(baseline: readonly number[], current: readonly number[]): [number[], number[]] {
  if (baseline.length !== current.length) {
    throw new RangeError(`baseline has ${baseline.length} bins but current has ${current.length}: bin both on the same edges`);
  }
  return [proportions(baseline, 'baseline'), proportions(current, 'current')];
}

/** Population stability index of `current` against `baseline` (same bins); empty bins floored at `epsilon`. */
export function psi(baseline: readonly number[], current: readonly number[], epsilon = PSI_EPSILON): number {
  const [expected, actual] = pair(baseline, current);
  let sum = 0;
  for (let i = 0; i < expected.length; i += 1) {
    const e = Math.max(expected[i]!, epsilon);
    const a = Math.max(actual[i]!, epsilon);
    sum += (a - e) * Math.log(a / e);
  }
  return sum;
}

/** Jensen–Shannon divergence (base 2, so in [0, 1]; 1 for disjoint supports). Not its square root. */
export function jensenShannon(baseline: readonly number[], current: readonly number[]): number {
  const [p, q] = pair(baseline, current);
  let sum = 0;
  for (let i = 0; i < p.length; i += 1) {
    const m = (p[i]! + q[i]!) / 2;
    if (p[i]! > 0) sum += p[i]! * Math.log2(p[i]! / m);
    if (q[i]! > 0) sum += q[i]! * Math.log2(q[i]! / m);
  }
  return Math.min(1, Math.max(0, sum / 2));
}

/** Largest gap between the two cumulative distributions over ordered bins (the KS statistic, binned). */
export function kolmogorovSmirnov(baseline: readonly number[], current: readonly number[]): number {
  const [p, q] = pair(baseline, current);
  let cdfP = 0;
  let cdfQ = 0;
  let largest = 0;
  for (let i = 0; i < p.length; i += 1) {
    cdfP += p[i]!;
    cdfQ += q[i]!;
    largest = Math.max(largest, Math.abs(cdfP - cdfQ));
  }
  return Math.min(1, largest);
}

export interface ChiSquareResult {
  readonly statistic: number;
  readonly degreesOfFreedom: number;
  /** Probability of a statistic at least this large if both samples share one distribution. */
  readonly pValue: number;
}

/**
 * Chi-square test of homogeneity on the 2×k table of the two count vectors. Bins empty on both
 * sides are dropped; with fewer than two bins left there is nothing to test (p = 1).
 */
export function chiSquare(baseline: readonly number[], current: readonly number[]): ChiSquareResult {
  pair(baseline, current);
  const columns = baseline.map((b, i) => [b, current[i]!] as const).filter(([b, c]) => b + c > 0);
  const degreesOfFreedom = columns.length - 1;
  if (degreesOfFreedom < 1) return { statistic: 0, degreesOfFreedom: 0, pValue: 1 };
  const baselineTotal = columns.reduce((sum, [b]) => sum + b, 0);
  const currentTotal = columns.reduce((sum, [, c]) => sum + c, 0);
  const total = baselineTotal + currentTotal;
  let statistic = 0;
  for (const [b, c] of columns) {
    const expectedB = (baselineTotal * (b + c)) / total;
    const expectedC = (currentTotal * (b + c)) / total;
    statistic += (b - expectedB) ** 2 / expectedB + (c - expectedC) ** 2 / expectedC;
  }
  // The upper regularized incomplete gamma Q(k/2, x/2) is the chi-square survival function;
  // computing it directly keeps tiny p-values that 1 - cdf would round to 0.
  const pValue = gammainc(statistic / 2, degreesOfFreedom / 2, true, true);
  return { statistic, degreesOfFreedom, pValue };
}
