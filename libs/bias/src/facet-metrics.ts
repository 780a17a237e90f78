import type { GroupTally } from './group-tally';
import { falsePositiveRate, recall, selectionRate } from './group-metrics';
import type { Metric } from './metric';

/** Fairness across all groups of one protected attribute (fairlearn's between-groups definitions). */
export interface FacetPredictionMetrics {
  /** max − min selection rate over the groups. */
  readonly demographic_parity_difference: Metric;
  /** min / max selection rate; null when no group has a positive prediction. */
  readonly demographic_parity_ratio: Metric;
  /** max(TPR max − min, FPR max − min) over the groups. */
  readonly equalized_odds_difference: Metric;
}

/** max − min of the defined values; null when none is defined. */
function spread(values: readonly Metric[]): Metric {
  const defined = values.filter((value): value is number => value !== null);
  return defined.length === 0 ? null : Math.max(...defined) - Math.min(...defined);
}

/**
 * A group with no actual positives has no TPR (and one with no actual negatives no FPR): it is left out
 * of that spread rather than counted as 0, which would invent a gap.
 */
export function facetPredictionMetrics(groups: readonly GroupTally[]): FacetPredictionMetrics {
  const rates = groups.map(selectionRate).filter((rate): rate is number => rate !== null);
  const highest = Math.max(...rates);
  const lowest = Math.min(...rates);
  const tprSpread = spread(groups.map(recall));
  const fprSpread = spread(groups.map(falsePositiveRate));
  return {
    demographic_parity_difference: rates.length === 0 ? null : highest - lowest,
    demographic_parity_ratio: rates.length === 0 || highest === 0 ? null : lowest / highest,
    equalized_odds_difference: tprSpread === null ? fprSpread : fprSpread === null ? tprSpread : Math.max(tprSpread, fprSpread),
  };
}
