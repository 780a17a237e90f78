import type { ColumnProfile, FeatureDrift } from '@mgov/contracts';
import { DomainError } from '@mgov/decider';
import { jensenShannon, psi } from '@mgov/stats';
import type { DriftWindow, FeatureCounts } from './drift-window';

/** Baseline and window counts over the same bins; missing values are a bin of their own. */
interface PairedCounts {
  readonly baseline: number[];
  readonly current: number[];
}

function mismatch(feature: string, why: string): DomainError {
  return new DomainError('MONITORING.BASELINE_MISMATCH', `feature ${feature}: ${why}; build the window with emptyWindow(baseline) from this baseline`, 422);
}

// Windows and baselines may travel through JSON stores; allow for a last-digit difference in an edge.
const sameEdge = (a: number, b: number) => Math.abs(a - b) <= 1e-12 * Math.max(1, Math.abs(a), Math.abs(b));

function paired(column: ColumnProfile, counts: FeatureCounts | undefined): PairedCounts {
  if (counts === undefined) throw mismatch(column.name, 'the window has no counts for it');
  if (column.count + column.missing === 0) throw mismatch(column.name, 'the baseline has no rows for it');
  if (column.kind === 'numeric') {
    const sameEdges = counts.kind === 'numeric'
      && counts.binEdges.length === column.binEdges.length && counts.binEdges.every((edge, i) => sameEdge(edge, column.binEdges[i]!));
    if (!sameEdges) throw mismatch(column.name, 'the window was not binned on the baseline edges');
    return { baseline: [...column.binCounts, column.missing], current: [...counts.binCounts, counts.missing] };
  }
  if (counts.kind !== 'categorical') throw mismatch(column.name, 'the baseline is categorical but the window is numeric');
  const categories = [...new Set([...Object.keys(column.categoryCounts), ...Object.keys(counts.categoryCounts)])].sort();
  const countOf = (record: Readonly<Record<string, number>>, key: string) => (Object.hasOwn(record, key) ? record[key]! : 0);
  return {
    baseline: [...categories.map((key) => countOf(column.categoryCounts, key)), column.missing],
    current: [...categories.map((key) => countOf(counts.categoryCounts, key)), counts.missing],
  };
}

/** PSI and Jensen–Shannon of every baseline feature, window against training, in baseline order. */
export function featureDrift(baseline: readonly ColumnProfile[], window: DriftWindow): FeatureDrift[] {
  return baseline.flatMap((column) => {
    const counts = Object.hasOwn(window.features, column.name) ? window.features[column.name] : undefined;
    const { baseline: expected, current } = paired(column, counts);
    return [
      { feature: column.name, metric: 'psi', value: psi(expected, current) },
      { feature: column.name, metric: 'js', value: jensenShannon(expected, current) },
    ];
  });
}
