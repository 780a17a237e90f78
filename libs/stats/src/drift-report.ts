import {
  chiSquareGoodnessOfFit, countBelowEdges, jensenShannonDistance, ksPValue, ksStatistic, populationStd, psiOfCounts, quantileLinear, wasserstein1,
} from './exact-drift';

/** One column of one file, as read: its numeric values and the count of each non-empty value by its text. */
export interface ColumnSample {
  /** Values that read as numbers (empty values are not in it). */
  readonly numbers: Float64Array;
  /** Every non-empty value by its text; null when the reader stopped counting (too many distinct values, all numeric). */
  readonly categories: ReadonlyMap<string, number> | null;
  /** Some non-empty value is not a number. */
  readonly nonNumeric: boolean;
}

export interface DriftReportOptions {
  readonly categorical?: readonly string[];
  /** Share of drifted columns at or above which the dataset drifts (default 0.5). */
  readonly driftShare?: number;
}

export type ColumnStats = Partial<Record<'ks_statistic' | 'ks_p_value' | 'wasserstein_normed' | 'psi' | 'jensenshannon' | 'chi2_p_value', number | null>>;

export interface ColumnDrift {
  readonly type: 'numerical' | 'categorical';
  readonly method: 'ks' | 'wasserstein' | 'chisquare' | 'jensenshannon';
  readonly score: number | null;
  readonly threshold: number;
  readonly drifted: boolean;
  readonly stats: ColumnStats;
}

export interface DriftReport {
  readonly reference_rows: number;
  readonly current_rows: number;
  readonly drift_share: number;
  readonly drifted_columns: number;
  readonly dataset_drift: boolean;
  readonly columns: Record<string, ColumnDrift>;
}

/** Reference row count up to which the statistical tests (p-values) decide; above it, distances do. */
export const SMALL_REFERENCE_ROWS = 1000;
const MAX_DISTINCT_FOR_NUMERIC_CATEGORICAL = 5;
const PSI_QUANTILES = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9];

/** Why a column is categorical: listed, text in it, or few distinct reference values. */
export function isCategoricalColumn(name: string, reference: ColumnSample, current: ColumnSample, categorical: readonly string[]): boolean {
  if (categorical.includes(name) || reference.nonNumeric || current.nonNumeric) return true;
  return reference.categories !== null && reference.categories.size <= MAX_DISTINCT_FOR_NUMERIC_CATEGORICAL;
}

function sorted(values: Float64Array): Float64Array {
  return Float64Array.from(values).sort();
}

function numericDrift(reference: Float64Array, current: Float64Array, small: boolean): ColumnDrift {
  const ref = sorted(reference);
  const cur = sorted(current);
  const d = ksStatistic(ref, cur);
  const p = ksPValue(d, ref.length, cur.length);
  const wasserstein = wasserstein1(ref, cur) / Math.max(populationStd(ref), 0.001);
  const edges = PSI_QUANTILES.map((q) => quantileLinear(ref, q));
  const refBins = countBelowEdges(ref, edges);
  const curBins = countBelowEdges(cur, edges);
  const stats: ColumnStats = {
    ks_statistic: d, ks_p_value: p, wasserstein_normed: wasserstein, psi: psiOfCounts(refBins, curBins), jensenshannon: jensenShannonDistance(refBins, curBins),
  };
  return small
    ? { type: 'numerical', method: 'ks', score: p, threshold: 0.05, drifted: p < 0.05, stats }
    : { type: 'numerical', method: 'wasserstein', score: wasserstein, threshold: 0.1, drifted: wasserstein >= 0.1, stats };
}

function categoricalDrift(reference: ReadonlyMap<string, number>, current: ReadonlyMap<string, number>, small: boolean): ColumnDrift {
  const categories = [...new Set([...reference.keys(), ...current.keys()])].sort();
  const refCounts = categories.map((c) => reference.get(c) ?? 0);
  const curCounts = categories.map((c) => current.get(c) ?? 0);
  const { pValue } = chiSquareGoodnessOfFit(refCounts, curCounts);
  const chi2 = Number.isNaN(pValue) ? null : pValue;
  const js = jensenShannonDistance(refCounts, curCounts);
  const stats: ColumnStats = { psi: psiOfCounts(refCounts, curCounts), jensenshannon: js, chi2_p_value: chi2 };
  return small
    ? { type: 'categorical', method: 'chisquare', score: chi2, threshold: 0.05, drifted: chi2 !== null && chi2 < 0.05, stats }
    : { type: 'categorical', method: 'jensenshannon', score: js, threshold: 0.1, drifted: js >= 0.1, stats };
}

export class DriftReportError extends Error {
  readonly code = 'STATS.DRIFT_INPUT';
}

/**
 * The exact drift report between two files' columns (Evidently's defaults): tests on a small
 * reference, distances on a large one, and the dataset drifts when enough columns do.
 */
export function driftReport(
  rows: { reference: number; current: number },
  columns: ReadonlyMap<string, { reference: ColumnSample; current: ColumnSample }>,
  options: DriftReportOptions = {},
): DriftReport {
  const small = rows.reference <= SMALL_REFERENCE_ROWS;
  const share = options.driftShare ?? 0.5;
  const result: Record<string, ColumnDrift> = {};
  for (const [name, { reference, current }] of columns) {
    if (isCategoricalColumn(name, reference, current, options.categorical ?? [])) {
      if (reference.categories === null || current.categories === null) throw new DriftReportError(`column ${name}: categories were not counted`);
      if (reference.categories.size === 0 || current.categories.size === 0) {
        throw new DriftReportError(`column ${name} has no non-empty values in the ${reference.categories.size === 0 ? 'reference' : 'current'} file`);
      }
      result[name] = categoricalDrift(reference.categories, current.categories, small);
    } else {
      if (reference.numbers.length === 0 || current.numbers.length === 0) {
        throw new DriftReportError(`column ${name} has no non-empty values in the ${reference.numbers.length === 0 ? 'reference' : 'current'} file`);
      }
      result[name] = numericDrift(reference.numbers, current.numbers, small);
    }
  }
  const names = Object.keys(result);
  const drifted = names.filter((name) => result[name]!.drifted).length;
  return {
    reference_rows: rows.reference,
    current_rows: rows.current,
    drift_share: share,
    drifted_columns: drifted,
    dataset_drift: names.length > 0 && drifted / names.length >= share,
    columns: result,
  };
}
