import type { GroupTally } from './group-tally';
import { kl, js, ks, labelDistributions, lp, tvd } from './label-divergence';
import { difference, type Metric, ratio } from './metric';

/** Pre-training metrics of a group d against every other row a, from the labels alone. */
export interface LabelMetrics {
  /** Class imbalance (na − nd)/(na + nd). */
  readonly ci: Metric;
  /** Difference in proportions of positive labels, qa − qd. */
  readonly dpl: Metric;
  readonly kl: Metric;
  readonly js: Metric;
  readonly lp: Metric;
  readonly tvd: Metric;
  readonly ks: Metric;
}

/** Metrics that compare the model's predictions for d and a. */
export interface PredictionMetrics {
  /** Share of d predicted positive (q̂d). */
  readonly selection_rate: Metric;
  /** q̂a − q̂d. */
  readonly dppl: Metric;
  /** Disparate impact q̂d / q̂a. */
  readonly di: Metric;
  readonly recall_difference: Metric;
  readonly accuracy_difference: Metric;
}

export const selectionRate = (t: GroupTally): Metric => ratio(t.truePositive + t.falsePositive, t.rows);
export const recall = (t: GroupTally): Metric => ratio(t.truePositive, t.truePositive + t.falseNegative);
export const falsePositiveRate = (t: GroupTally): Metric => ratio(t.falsePositive, t.falsePositive + t.trueNegative);
export const accuracy = (t: GroupTally): Metric => ratio(t.truePositive + t.trueNegative, t.rows);

const NO_DISTRIBUTION = { kl: null, js: null, lp: null, tvd: null, ks: null } as const;

/** `labels` is every label value in the data, in a fixed order so sums are reproducible. */
export function labelMetrics(d: GroupTally, a: GroupTally, labels: readonly string[], positive: string): LabelMetrics {
  const ci = (a.rows - d.rows) / (a.rows + d.rows);
  const dpl = difference(ratio(a.labels.get(positive) ?? 0, a.rows), ratio(d.labels.get(positive) ?? 0, d.rows));
  const shares = labelDistributions(labels, a.labels, a.rows, d.labels, d.rows);
  if (shares === null) return { ci, dpl, ...NO_DISTRIBUTION };
  return { ci, dpl, kl: kl(shares), js: js(shares), lp: lp(shares), tvd: tvd(shares), ks: ks(shares) };
}

export function predictionMetrics(d: GroupTally, a: GroupTally): PredictionMetrics {
  const selectedD = selectionRate(d);
  const selectedA = selectionRate(a);
  return {
    selection_rate: selectedD,
    dppl: difference(selectedA, selectedD),
    di: selectedD === null || selectedA === null ? null : ratio(selectedD, selectedA),
    recall_difference: difference(recall(a), recall(d)),
    accuracy_difference: difference(accuracy(a), accuracy(d)),
  };
}
