/**
 * A metric value. Null wherever the definition yields no finite number: a ratio over zero rows (one
 * group only, no actual positives for a recall, no positive predictions for a disparate impact) or an
 * infinite divergence (KL when a label value occurs among the other rows but never in the group).
 * JSON has no NaN or Infinity; a gate must treat null as "cannot be judged", never as "no bias".
 */
export type Metric = number | null;

export function finiteOrNull(value: number): Metric {
  return Number.isFinite(value) ? value : null;
}

/** numerator / denominator, or null when the denominator is zero. */
export function ratio(numerator: number, denominator: number): Metric {
  return denominator === 0 ? null : numerator / denominator;
}

/** a − b, or null when either is undefined. */
export function difference(a: Metric, b: Metric): Metric {
  return a === null || b === null ? null : a - b;
}
