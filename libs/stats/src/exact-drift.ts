import gammainc from '@stdlib/math-base-special-gammainc';

/** The proportion a zero proportion is replaced with in PSI (Evidently's convention). */
export const PSI_ZERO_PROPORTION = 1e-4;

/**
 * Two-sample Kolmogorov–Smirnov D: the largest gap between the empirical CDFs of two sorted
 * samples, each evaluated at every value of either (as scipy's `ks_2samp`).
 */
export function ksStatistic(a: Float64Array, b: Float64Array): number {
  const n = a.length;
  const m = b.length;
  let i = 0;
  let j = 0;
  let largest = 0;
  while (i < n && j < m) {
    const x = a[i]! <= b[j]! ? a[i]! : b[j]!;
    while (i < n && a[i]! <= x) i += 1;
    while (j < m && b[j]! <= x) j += 1;
    const gap = Math.abs(i / n - j / m);
    if (gap > largest) largest = gap;
  }
  return largest;
}

const PI2 = Math.PI ** 2;
const SQRT2PI = Math.sqrt(2 * Math.PI);

/**
 * P(D_n ≤ x) for the one-sample two-sided KS statistic: the Pelz–Good asymptotic expansion (what
 * scipy's `kstwo` uses for large n), with the exact Ruben–Gambino tails. No maintained JS package
 * ships this distribution; against scipy's exact `kstwo.sf` it is within 0.002 for n ≥ 8.
 */
export function kolmogorovCdf(n: number, x: number): number {
  if (x >= 1) return 1;
  if (x <= 0) return 0;
  const t = n * x;
  if (t <= 0.5) return 0;
  if (t <= 1) {
    let prob = 1;
    for (let i = 1; i <= n; i += 1) prob *= (i / n) * (2 * t - 1);
    return prob;
  }
  if (t >= n - 1) return 1 - 2 * (1 - x) ** n;
  const z = Math.sqrt(n) * x;
  const z2 = z * z;
  const z4 = z2 * z2;
  const z6 = z4 * z2;
  const qlog = -PI2 / 8 / z2;
  if (qlog < -708) return 0;
  const q = Math.exp(qlog);
  const k1a = -z2;
  const k1b = PI2 / 4;
  const k2a = 6 * z6 + 2 * z4;
  const k2b = ((2 * z4 - 5 * z2) * PI2) / 4;
  const k2c = (PI2 * PI2 * (1 - 2 * z2)) / 16;
  const k3d = (PI2 ** 3 * (5 - 30 * z2)) / 64;
  const k3c = (PI2 * PI2 * (-60 * z2 + 212 * z4)) / 16;
  const k3b = (PI2 * (135 * z4 - 96 * z6)) / 4;
  const k3a = -30 * z6 - 90 * z4 * z4;
  const terms = [0, 0, 0, 0];
  const maxK = Math.ceil((16 * z) / Math.PI);
  for (let k = maxK; k >= 1; k -= 1) {
    const m2 = (2 * k - 1) ** 2;
    const power = q ** (8 * k);
    terms[0] = terms[0]! * power + 1;
    terms[1] = terms[1]! * power + k1a + k1b * m2;
    terms[2] = terms[2]! * power + k2a + k2b * m2 + k2c * m2 * m2;
    terms[3] = terms[3]! * power + k3a + k3b * m2 + k3c * m2 * m2 + k3d * m2 * m2 * m2;
  }
  const divisors = [z, 6 * z4, 72 * z6 * z, 6480 * z6 * z4];
  for (let i = 0; i < 4; i += 1) terms[i] = (terms[i]! * q * SQRT2PI) / divisors[i]!;
  const q2 = Math.exp(-PI2 / 2 / z2);
  let k2extra = 0;
  let k3extra = 0;
  const sqrt3z = Math.sqrt(3) * z;
  for (let k = maxK; k >= 1; k -= 1) {
    const power = q2 ** (k * k);
    k2extra += k * k * power;
    k3extra += (sqrt3z + Math.PI * k) * (sqrt3z - Math.PI * k) * k * k * power;
  }
  terms[2]! += (k2extra * PI2 * SQRT2PI) / (-36 * z2 * z);
  terms[3]! += (k3extra * PI2 * SQRT2PI) / (216 * z6);
  let sum = 0;
  for (let i = 0; i < 4; i += 1) sum += terms[i]! / n ** (i / 2);
  return Math.min(1, Math.max(0, sum));
}

/** numpy's `round`: halves go to the even neighbour. */
function roundHalfEven(x: number): number {
  const floor = Math.floor(x);
  const fraction = x - floor;
  if (fraction !== 0.5) return Math.round(x);
  return floor % 2 === 0 ? floor : floor + 1;
}

/**
 * Two-sided asymptotic p-value of the two-sample KS statistic, as scipy's
 * `ks_2samp(method="asymp")`: the one-sample distribution at the rounded effective size mn/(m+n).
 */
export function ksPValue(d: number, n: number, m: number): number {
  const en = Math.max(1, roundHalfEven((n * m) / (n + m)));
  return Math.min(1, Math.max(0, 1 - kolmogorovCdf(en, d)));
}

/** 1-Wasserstein distance between two sorted samples: ∫ |F_a − F_b| (scipy's `wasserstein_distance`). */
export function wasserstein1(a: Float64Array, b: Float64Array): number {
  const n = a.length;
  const m = b.length;
  let i = 0;
  let j = 0;
  let previous = Math.min(a[0]!, b[0]!);
  let total = 0;
  while (i < n || j < m) {
    const x = j >= m || (i < n && a[i]! <= b[j]!) ? a[i]! : b[j]!;
    total += Math.abs(i / n - j / m) * (x - previous);
    previous = x;
    while (i < n && a[i]! === x) i += 1;
    while (j < m && b[j]! === x) j += 1;
  }
  return total;
}

/** Population standard deviation (two-pass, for accuracy). */
export function populationStd(values: Float64Array): number {
  let sum = 0;
  for (let i = 0; i < values.length; i += 1) sum += values[i]!;
  const mean = sum / values.length;
  let squares = 0;
  for (let i = 0; i < values.length; i += 1) squares += (values[i]! - mean) ** 2;
  return Math.sqrt(squares / values.length);
}

/** Quantile of a sorted sample with numpy's default ("linear") interpolation, bit for bit. */
export function quantileLinear(sorted: Float64Array, q: number): number {
  const n = sorted.length;
  const virtual = (n - 1) * q;
  const lower = Math.min(Math.max(Math.floor(virtual), 0), n - 1);
  const upper = Math.min(lower + 1, n - 1);
  const t = virtual - lower;
  const a = sorted[lower]!;
  const b = sorted[upper]!;
  const diff = b - a;
  // numpy's _lerp: from the nearer end, so the result is monotone and exact at t = 1.
  return t >= 0.5 ? b - diff * (1 - t) : a + diff * t;
}

/** Counts per bin where a value's bin is the number of edges strictly below it (`edges.length + 1` bins). */
export function countBelowEdges(sorted: Float64Array, edges: readonly number[]): number[] {
  const counts = new Array<number>(edges.length + 1).fill(0);
  let bin = 0;
  for (let i = 0; i < sorted.length; i += 1) {
    const value = sorted[i]!;
    while (bin < edges.length && edges[bin]! < value) bin += 1;
    counts[bin]! += 1;
  }
  return counts;
}

const proportionsOf = (counts: readonly number[]): number[] => {
  const total = counts.reduce((sum, c) => sum + c, 0);
  return counts.map((c) => c / total);
};

/** PSI = Σ (cur − ref)·ln(cur/ref) over proportions, a zero proportion taken as 0.0001. */
export function psiOfCounts(reference: readonly number[], current: readonly number[]): number {
  const p = proportionsOf(reference);
  const q = proportionsOf(current);
  let sum = 0;
  for (let i = 0; i < p.length; i += 1) {
    const r = p[i] === 0 ? PSI_ZERO_PROPORTION : p[i]!;
    const c = q[i] === 0 ? PSI_ZERO_PROPORTION : q[i]!;
    sum += (c - r) * Math.log(c / r);
  }
  return sum;
}

/** Jensen–Shannon distance, natural log (scipy's `spatial.distance.jensenshannon`). */
export function jensenShannonDistance(reference: readonly number[], current: readonly number[]): number {
  const p = proportionsOf(reference);
  const q = proportionsOf(current);
  let sum = 0;
  for (let i = 0; i < p.length; i += 1) {
    const m = (p[i]! + q[i]!) / 2;
    if (p[i]! > 0) sum += p[i]! * Math.log(p[i]! / m);
    if (q[i]! > 0) sum += q[i]! * Math.log(q[i]! / m);
  }
  return Math.sqrt(Math.max(0, sum / 2));
}

/** Chi-square survival function Q(k/2, x/2) (upper regularized incomplete gamma). */
export function chiSquareSurvival(statistic: number, degreesOfFreedom: number): number {
  if (degreesOfFreedom < 1) return Number.NaN;
  if (statistic === Number.POSITIVE_INFINITY) return 0;
  return gammainc(statistic / 2, degreesOfFreedom / 2, true, true);
}

/**
 * Goodness of fit of the current counts to the reference proportions (scipy's
 * `chisquare(current, reference proportions × M)`); 0 when a category is absent from the reference.
 */
export function chiSquareGoodnessOfFit(reference: readonly number[], current: readonly number[]): { statistic: number; pValue: number } {
  const p = proportionsOf(reference);
  const total = current.reduce((sum, c) => sum + c, 0);
  let statistic = 0;
  for (let i = 0; i < p.length; i += 1) {
    const expected = p[i]! * total;
    if (expected === 0) {
      if (current[i]! > 0) return { statistic: Number.POSITIVE_INFINITY, pValue: 0 };
      continue;
    }
    statistic += (current[i]! - expected) ** 2 / expected;
  }
  return { statistic, pValue: chiSquareSurvival(statistic, p.length - 1) };
}
