import type { ColumnProfile } from '@mgov/contracts';
import { chiSquareGoodnessOfFit, jensenShannonDistance, ksPValue, psiOfCounts } from '@mgov/stats';
import type { MonitoringPolicy } from './monitoring-policy';
import { categoryCountsOf, layoutOf, numericCountsOf, SCORE_BINS, type WindowCounts, type WindowLayout } from './window-counts';

export interface MetricValue {
  readonly metric: string;
  readonly value: number;
}
export interface FeatureMetrics {
  readonly feature: string;
  readonly kind: 'numeric' | 'categorical';
  /** psi, js, ks, ks_p_value, wasserstein (numeric); psi, js, chi2_p_value (categorical). */
  readonly metrics: Readonly<Record<string, number>>;
  /** By the `mgov drift` default rule on the baseline's size. */
  readonly drifted: boolean;
}
export interface PerformanceMetric {
  readonly metric: string;
  readonly value: number;
  readonly baseline: number | null;
}
export interface BiasMetric {
  readonly attribute: string;
  readonly metric: string;
  readonly value: number;
  readonly baseline: number | null;
  readonly selectionRates: Readonly<Record<string, number>>;
}
export interface WindowMetrics {
  readonly features: readonly FeatureMetrics[];
  readonly driftShare: number;
  readonly performance: readonly PerformanceMetric[];
  readonly labelledCount: number;
  readonly bias: readonly BiasMetric[];
}

/** Binned normalized Wasserstein: ∫|F_ref − F_cur| over the interior bins, over the binned reference std. */
function binnedWasserstein(edges: readonly number[], reference: readonly number[], current: readonly number[]): number {
  const refTotal = reference.reduce((s, c) => s + c, 0);
  const curTotal = current.reduce((s, c) => s + c, 0);
  const width = edges.length > 1 ? (edges[edges.length - 1]! - edges[0]!) / (edges.length - 1) : 1;
  const mid = (i: number) => (i === 0 ? edges[0]! - width / 2 : i === edges.length ? edges[edges.length - 1]! + width / 2 : (edges[i - 1]! + edges[i]!) / 2);
  let mean = 0;
  reference.forEach((c, i) => (mean += (c / refTotal) * mid(i)));
  let variance = 0;
  reference.forEach((c, i) => (variance += (c / refTotal) * (mid(i) - mean) ** 2));
  let refCdf = 0;
  let curCdf = 0;
  let distance = 0;
  for (let i = 0; i < edges.length; i += 1) {
    refCdf += reference[i]! / refTotal;
    curCdf += current[i]! / curTotal;
    const span = i + 1 < edges.length ? edges[i + 1]! - edges[i]! : 0;
    distance += Math.abs(refCdf - curCdf) * span;
  }
  return distance / Math.max(Math.sqrt(variance), 0.001);
}

function binnedKs(reference: readonly number[], current: readonly number[]): number {
  const refTotal = reference.reduce((s, c) => s + c, 0);
  const curTotal = current.reduce((s, c) => s + c, 0);
  let refCdf = 0;
  let curCdf = 0;
  let largest = 0;
  for (let i = 0; i < reference.length; i += 1) {
    refCdf += reference[i]! / refTotal;
    curCdf += current[i]! / curTotal;
    largest = Math.max(largest, Math.abs(refCdf - curCdf));
  }
  return largest;
}

const SMALL_BASELINE = 1000;

function featureMetrics(column: ColumnProfile, counts: WindowCounts, position: number, layout: WindowLayout): FeatureMetrics | null {
  if (column.kind === 'numeric') {
    if (position >= layout.numeric.length) return null;
    const current = numericCountsOf(counts, layout, position).slice(0, -1);
    const n = current.reduce((s, c) => s + c, 0);
    if (n === 0 || column.count === 0) return null;
    const reference = [...column.binCounts];
    const ks = binnedKs(reference, current);
    const metrics = {
      psi: psiOfCounts(reference, current), js: jensenShannonDistance(reference, current), ks, ks_p_value: ksPValue(ks, column.count, n),
      wasserstein: binnedWasserstein(column.binEdges, reference, current),
    };
    const drifted = column.count <= SMALL_BASELINE ? metrics.ks_p_value < 0.05 : metrics.wasserstein >= 0.1;
    return { feature: column.name, kind: 'numeric', metrics, drifted };
  }
  if (position >= layout.categorical.length) return null;
  const counted = categoryCountsOf(counts, layout, position);
  const seen: Record<string, number> = { ...counted.unseen };
  layout.categorical[position]!.categories.forEach((category, i) => (seen[category] = counted.known[i]!));
  const categories = [...new Set([...Object.keys(column.categoryCounts), ...Object.keys(seen)])].filter((c) => c !== '').sort();
  const reference = categories.map((c) => column.categoryCounts[c] ?? 0);
  const current = categories.map((c) => seen[c] ?? 0);
  if (current.every((c) => c === 0) || reference.every((c) => c === 0)) return null;
  const { pValue } = chiSquareGoodnessOfFit(reference, current);
  const metrics = { psi: psiOfCounts(reference, current), js: jensenShannonDistance(reference, current), chi2_p_value: Number.isNaN(pValue) ? 1 : pValue };
  const drifted = column.count <= SMALL_BASELINE ? metrics.chi2_p_value < 0.05 : metrics.js >= 0.1;
  return { feature: column.name, kind: 'categorical', metrics, drifted };
}

/** ROC AUC from score histograms: P(score⁺ > score⁻) + ½ P(tie in a bin). */
function rocAuc(positive: readonly number[], negative: readonly number[]): number | null {
  const pos = positive.reduce((s, c) => s + c, 0);
  const neg = negative.reduce((s, c) => s + c, 0);
  if (pos === 0 || neg === 0) return null;
  let below = 0;
  let area = 0;
  for (let i = 0; i < SCORE_BINS; i += 1) {
    area += positive[i]! * (below + negative[i]! / 2);
    below += negative[i]!;
  }
  return area / (pos * neg);
}

function performanceMetrics(counts: WindowCounts, positiveClass: string, baseline: Readonly<Record<string, number>>): PerformanceMetric[] {
  const cells = Object.entries(counts.confusion).map(([key, c]) => {
    const [truth, predicted] = key.split('\u001f') as [string, string];
    return { truth, predicted, c };
  });
  const total = cells.reduce((s, x) => s + x.c, 0);
  if (total === 0) return [];
  const classes = [...new Set(cells.map((x) => x.truth))];
  const sum = (f: (x: (typeof cells)[number]) => boolean) => cells.filter(f).reduce((s, x) => s + x.c, 0);
  const f1Of = (k: string) => {
    const tp = sum((x) => x.truth === k && x.predicted === k);
    const fp = sum((x) => x.truth !== k && x.predicted === k);
    const fn = sum((x) => x.truth === k && x.predicted !== k);
    const precision = tp + fp === 0 ? 0 : tp / (tp + fp);
    const recall = tp + fn === 0 ? 0 : tp / (tp + fn);
    return { precision, recall, f1: precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall) };
  };
  const binary = f1Of(positiveClass);
  const values: Record<string, number | null> = {
    accuracy: sum((x) => x.truth === x.predicted) / total,
    precision: binary.precision, recall: binary.recall, f1: binary.f1,
    f1_macro: classes.reduce((s, k) => s + f1Of(k).f1, 0) / classes.length,
    roc_auc: rocAuc(counts.scores.positive, counts.scores.negative),
  };
  return Object.entries(values).flatMap(([metric, value]) => (value === null ? [] : [{ metric, value, baseline: baseline[metric] ?? null }]));
}

function biasMetrics(counts: WindowCounts, minGroupCount: number, baseline: Readonly<Record<string, number>>): BiasMetric[] {
  return Object.entries(counts.groups).flatMap(([attribute, groups]) => {
    const judged = Object.entries(groups).filter(([, g]) => g[0] >= minGroupCount);
    if (judged.length < 2) return [];
    const selectionRates = Object.fromEntries(judged.map(([group, g]) => [group, g[1] / g[0]]));
    const rates = Object.values(selectionRates);
    const spread = (values: number[]) => (values.length < 2 ? null : Math.max(...values) - Math.min(...values));
    const tpr = judged.filter(([, g]) => g[2] > 0).map(([, g]) => g[3] / g[2]);
    const fpr = judged.filter(([, g]) => g[4] > 0).map(([, g]) => g[5] / g[4]);
    const eod = spread(tpr);
    const fprGap = spread(fpr);
    const values: Record<string, number | null> = {
      demographic_parity_difference: Math.max(...rates) - Math.min(...rates),
      disparate_impact: Math.max(...rates) === 0 ? null : Math.min(...rates) / Math.max(...rates),
      equal_opportunity_difference: eod,
      equalized_odds_difference: eod === null || fprGap === null ? null : Math.max(eod, fprGap),
    };
    return Object.entries(values).flatMap(([metric, value]) => (value === null ? [] : [{
      attribute, metric, value, baseline: baseline[`fairness.${attribute}.${metric}`] ?? null, selectionRates,
    }]));
  });
}

/** Every metric of one window against the training baseline and the run's evaluation metrics. */
export function windowMetrics(
  baseline: readonly ColumnProfile[], metrics: Readonly<Record<string, number>>, policy: MonitoringPolicy, counts: WindowCounts,
): WindowMetrics {
  const layout = layoutOf(baseline);
  let numeric = 0;
  let categorical = 0;
  const features = baseline.flatMap((column) => featureMetrics(column, counts, column.kind === 'numeric' ? numeric++ : categorical++, layout) ?? []);
  const drifted = features.filter((f) => f.drifted).length;
  return {
    features,
    driftShare: features.length === 0 ? 0 : drifted / features.length,
    performance: performanceMetrics(counts, policy.performance.positiveClass, metrics),
    labelledCount: counts.labelled,
    bias: biasMetrics(counts, policy.bias.minGroupCount, metrics),
  };
}
