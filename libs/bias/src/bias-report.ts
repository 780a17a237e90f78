import { categoryOf, isMissing } from '@mgov/stats';
import { biasError } from './bias-error';
import { type BiasOptions, checkedBiasOptions } from './bias-options';
import { type FacetPredictionMetrics, facetPredictionMetrics } from './facet-metrics';
import { type LabelMetrics, labelMetrics, type PredictionMetrics, predictionMetrics } from './group-metrics';
import { countRow, emptyTally, type GroupTally, subtractTally, sumTallies } from './group-tally';

/** Metrics for one value d of a protected attribute; the prediction metrics only with a prediction column. */
export type GroupReport = { readonly count: number } & LabelMetrics & Partial<PredictionMetrics>;

export type FacetReport = { readonly groups: Readonly<Record<string, GroupReport>> } & Partial<FacetPredictionMetrics>;

/** The `mgov bias --format json` document. */
export interface BiasReport {
  readonly rows: number;
  readonly label: string;
  readonly positive: string;
  readonly facets: Readonly<Record<string, FacetReport>>;
}

export interface BiasAccumulator {
  add(row: Readonly<Record<string, unknown>>): void;
  report(): BiasReport;
}

/** Cells are compared as text; a missing cell (absent, null, blank) is the empty string. */
function textOf(value: unknown): string {
  return isMissing(value) ? '' : categoryOf(value);
}

const byCodeUnits = (x: string, y: string) => (x < y ? -1 : x > y ? 1 : 0);

/** Metrics of every group, in value order. */
function facetReport(groups: Map<string, GroupTally>, labels: readonly string[], positive: string, withPrediction: boolean): FacetReport {
  const total = sumTallies(groups.values());
  const values = [...groups.keys()].sort(byCodeUnits);
  const reports: Record<string, GroupReport> = {};
  for (const value of values) {
    const d = groups.get(value)!;
    const a = subtractTally(total, d);
    const report = { count: d.rows, ...labelMetrics(d, a, labels, positive), ...(withPrediction ? predictionMetrics(d, a) : {}) };
    Object.defineProperty(reports, value, { value: report, enumerable: true, writable: true, configurable: true });
  }
  return withPrediction ? { groups: reports, ...facetPredictionMetrics([...groups.values()]) } : { groups: reports };
}

/** Counts facet value × label value × prediction outcome in one pass; `report()` computes every metric. */
export function biasAccumulator(options: BiasOptions): BiasAccumulator {
  const { label, positive, prediction, maxGroups, maxLabelValues, ...rest } = checkedBiasOptions(options);
  const facets = new Map(rest.protected.map((column) => [column, new Map<string, GroupTally>()]));
  const declared = [label, ...rest.protected, ...(prediction === undefined ? [] : [prediction])];
  const present = new Set<string>();
  const labels = new Set<string>();
  let rows = 0;
  return {
    add(row) {
      rows += 1;
      if (present.size < declared.length) for (const column of declared) if (Object.hasOwn(row, column)) present.add(column);
      const labelText = textOf(row[label]);
      if (!labels.has(labelText)) {
        if (labels.size >= maxLabelValues) throw biasError('BIAS.TOO_MANY_VALUES', `label ${label} has more than ${maxLabelValues} distinct values; bias metrics need a categorical label, so bin it first`);
        labels.add(labelText);
      }
      const predictedPositive = prediction === undefined ? null : textOf(row[prediction]) === positive;
      for (const [column, groups] of facets) {
        const value = textOf(row[column]);
        let tally = groups.get(value);
        if (!tally) {
          if (groups.size >= maxGroups) throw biasError('BIAS.TOO_MANY_VALUES', `protected column ${column} has more than ${maxGroups} distinct values; declare a demographic attribute, or group its values first`);
          tally = emptyTally();
          groups.set(value, tally);
        }
        countRow(tally, labelText, labelText === positive, predictedPositive);
      }
    },
    report() {
      if (rows === 0) throw biasError('BIAS.NO_ROWS', 'the data has no rows to scan');
      const absent = declared.filter((column) => !present.has(column));
      if (absent.length > 0) throw biasError('BIAS.UNKNOWN_COLUMN', `no row has column ${absent.join(', ')}; check the column names against the data`);
      const labelOrder = [...labels].sort(byCodeUnits);
      const facetReports: Record<string, FacetReport> = {};
      for (const [column, groups] of facets) facetReports[column] = facetReport(groups, labelOrder, positive, prediction !== undefined);
      return { rows, label, positive, facets: facetReports };
    },
  };
}

/** The bias report of a streamed dataset, read once. */
export async function biasReport(rows: AsyncIterable<Readonly<Record<string, unknown>>> | Iterable<Readonly<Record<string, unknown>>>, options: BiasOptions): Promise<BiasReport> {
  const accumulator = biasAccumulator(options);
  for await (const row of rows) accumulator.add(row);
  return accumulator.report();
}
