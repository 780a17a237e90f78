import { finiteOrNull, type Metric } from './metric';

/** Two distributions over the same ordered label values: `a` for every other row, `d` for the group. */
export interface LabelDistributions {
  readonly a: readonly number[];
  readonly d: readonly number[];
}

/** Label shares of each side over `labels` (in that order), or null when a side has no rows. */
export function labelDistributions(labels: readonly string[], countsA: ReadonlyMap<string, number>, rowsA: number, countsD: ReadonlyMap<string, number>, rowsD: number): LabelDistributions | null {
  if (rowsA === 0 || rowsD === 0) return null;
  return {
    a: labels.map((label) => (countsA.get(label) ?? 0) / rowsA),
    d: labels.map((label) => (countsD.get(label) ?? 0) / rowsD),
  };
}

/** Σ p·ln(p/q) over p > 0 (0·ln 0 = 0); Infinity when some p > 0 has q = 0. Natural log, as Clarify. */
function klDivergence(p: readonly number[], q: readonly number[]): number {
  let sum = 0;
  for (let i = 0; i < p.length; i += 1) if (p[i]! > 0) sum += p[i]! * Math.log(p[i]! / q[i]!);
  return sum;
}

/** KL(Pa‖Pd); null when infinite (a label value present among the others but absent from the group). */
export function kl({ a, d }: LabelDistributions): Metric {
  return finiteOrNull(klDivergence(a, d));
}

/**
 * ½·KL(Pa‖M) + ½·KL(Pd‖M), M = (Pa+Pd)/2, in nats (so at most ln 2). Not @mgov/stats' jensenShannon,
 * which is in bits for drift: the bias definitions follow Clarify.
 */
export function js({ a, d }: LabelDistributions): Metric {
  const m = a.map((share, i) => (share + d[i]!) / 2);
  return finiteOrNull(klDivergence(a, m) / 2 + klDivergence(d, m) / 2);
}

/** √Σ(Pa−Pd)². */
export function lp({ a, d }: LabelDistributions): Metric {
  return Math.sqrt(a.reduce((sum, share, i) => sum + (share - d[i]!) ** 2, 0));
}

/** ½·Σ|Pa−Pd|. */
export function tvd({ a, d }: LabelDistributions): Metric {
  return a.reduce((sum, share, i) => sum + Math.abs(share - d[i]!), 0) / 2;
}

/** max|Pa−Pd| over label values (Clarify's pre-training KS; not a CDF gap over ordered bins). */
export function ks({ a, d }: LabelDistributions): Metric {
  return a.reduce((largest, share, i) => Math.max(largest, Math.abs(share - d[i]!)), 0);
}
