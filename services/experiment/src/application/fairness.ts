import { BIAS_SCANNER, biasReport } from '@mgov/bias';
import { DomainError } from '@mgov/decider';
import type { MetricPoint } from '@mgov/experiment-domain';

/** An evaluation set the run supplies: one entry per example, protected attributes by name. */
export interface FairnessInput {
  readonly predictions: ReadonlyArray<string | number | boolean>;
  readonly labels: ReadonlyArray<string | number | boolean>;
  readonly protectedAttributes: Readonly<Record<string, ReadonlyArray<string | number | boolean | null>>>;
  /** The positive outcome, compared as text (default "1"). */
  readonly positive?: string | number | boolean;
  readonly step?: number;
}

const LABEL = '\u0000label';
const PREDICTION = '\u0000prediction';
const bad = (message: string) => new DomainError('EXPERIMENT.INVALID_PARAMETER_VALUE', message, 400);
const worst = (values: ReadonlyArray<number | null | undefined>, pick: (xs: number[]) => number) => {
  const defined = values.filter((v): v is number => typeof v === 'number');
  return defined.length === 0 ? Number.NaN : pick(defined);
};

/**
 * fairness.<attribute>.<metric> with the `mgov bias` library: demographic parity difference and
 * ratio and equalized odds difference across the attribute's groups; disparate impact as the lowest
 * group's, recall difference as the largest in magnitude. A metric that cannot be computed is NaN.
 */
export async function fairnessMetrics(input: FairnessInput, now: number) {
  const { predictions, labels, protectedAttributes } = input ?? ({} as FairnessInput);
  if (!Array.isArray(predictions) || !Array.isArray(labels)) throw bad('fairness needs arrays predictions and labels');
  if (predictions.length !== labels.length || predictions.length === 0) throw bad(`predictions (${predictions.length}) and labels (${labels.length}) must be non-empty and of one length`);
  const attributes = Object.keys(protectedAttributes ?? {});
  if (attributes.length === 0) throw bad('name at least one protected attribute in protectedAttributes');
  for (const name of attributes) {
    if (!Array.isArray(protectedAttributes[name]) || protectedAttributes[name].length !== labels.length) throw bad(`protectedAttributes.${name} must be an array of ${labels.length} values`);
    if (!/^[\w\-.: ]+$/.test(name)) throw bad(`protected attribute name '${name}' may only use letters, digits, '_', '-', '.', ':' and spaces`);
  }
  const step = input.step ?? 0;
  if (!Number.isSafeInteger(step)) throw bad('step must be an integer');
  const rows = labels.map((label, i) => {
    const row: Record<string, unknown> = { [LABEL]: label, [PREDICTION]: predictions[i] };
    for (const name of attributes) row[name] = protectedAttributes[name][i];
    return row;
  });
  const report = await biasReport(rows, { label: LABEL, positive: String(input.positive ?? '1'), protected: attributes, prediction: PREDICTION });
  const metrics: MetricPoint[] = [];
  const add = (attribute: string, metric: string, value: number | null | undefined) =>
    metrics.push({ key: `fairness.${attribute}.${metric}`, value: typeof value === 'number' ? value : Number.NaN, timestamp: now, step });
  for (const attribute of attributes) {
    const facet = report.facets[attribute];
    const groups = Object.values(facet.groups);
    add(attribute, 'demographic_parity_difference', facet.demographic_parity_difference);
    add(attribute, 'demographic_parity_ratio', facet.demographic_parity_ratio);
    add(attribute, 'equalized_odds_difference', facet.equalized_odds_difference);
    add(attribute, 'disparate_impact', worst(groups.map((g) => g.di), (xs) => Math.min(...xs)));
    add(attribute, 'recall_difference', worst(groups.map((g) => g.recall_difference), (xs) => xs.reduce((a, b) => (Math.abs(b) > Math.abs(a) ? b : a))));
  }
  return { library: `${BIAS_SCANNER.name}@${BIAS_SCANNER.version}`, rows: report.rows, attributes, metrics };
}
