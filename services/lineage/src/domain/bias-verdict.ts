import type { BiasBreach, BiasGroupMetrics } from '@mgov/contracts';
import type { BiasReport } from '@mgov/bias';

/** The pre-training metrics a bias policy may put a threshold on (Clarify's label metrics). */
export const BIAS_METRICS = ['ci', 'dpl', 'kl', 'js', 'lp', 'tvd', 'ks'] as const;
export type BiasMetricName = (typeof BIAS_METRICS)[number];

/**
 * The thresholds a bias policy starts from: the positive-label rate of every group within 10
 * percentage points of everyone else's (|dpl| ≤ 0.1). Class imbalance (ci) is not judged by default:
 * a small group is not in itself a bias, and the label metrics already show whether it is treated alike.
 */
export const DEFAULT_BIAS_THRESHOLDS: Readonly<Record<string, number>> = { dpl: 0.1 };

export interface BiasVerdict {
  readonly groups: BiasGroupMetrics[];
  /** Metrics beyond their threshold, and judged metrics that could not be computed (null): empty when passed. */
  readonly breaches: BiasBreach[];
}

/** Every group's metrics, and each judged one that is null or whose magnitude exceeds its threshold. */
export function judgeBias(report: BiasReport, thresholds: Readonly<Record<string, number>>): BiasVerdict {
  const groups: BiasGroupMetrics[] = [];
  const breaches: BiasBreach[] = [];
  for (const [facet, facetReport] of Object.entries(report.facets)) {
    for (const [group, metrics] of Object.entries(facetReport.groups)) {
      const { count, ci, dpl, kl, js, lp, tvd, ks } = metrics;
      groups.push({ facet, group, count, ci, dpl, kl, js, lp, tvd, ks });
      for (const [metric, threshold] of Object.entries(thresholds)) {
        const value = metrics[metric as BiasMetricName];
        if (value === null || Math.abs(value) > threshold) breaches.push({ facet, group, metric, value, threshold });
      }
    }
  }
  return { groups, breaches };
}
