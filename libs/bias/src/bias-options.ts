import { biasError } from './bias-error';

export interface BiasOptions {
  /** The label column. */
  readonly label: string;
  /** The label value (compared as text) that counts as the positive outcome; also the positive prediction. */
  readonly positive: string;
  /** Protected attributes (facets); each of their values is a group compared against all other rows. */
  readonly protected: readonly string[];
  /** A column of model predictions; adds the prediction metrics. */
  readonly prediction?: string;
  /** Most distinct values a facet may have (default 10 000): an ID column is no demographic. */
  readonly maxGroups?: number;
  /** Most distinct label values (default 1 000): a continuous label must be binned first. */
  readonly maxLabelValues?: number;
}

export const DEFAULT_MAX_GROUPS = 10_000;
export const DEFAULT_MAX_LABEL_VALUES = 1_000;

/** The options with defaults filled in, or BIAS.INVALID_OPTIONS naming what is wrong. */
export function checkedBiasOptions(options: BiasOptions): Required<Omit<BiasOptions, 'prediction'>> & Pick<BiasOptions, 'prediction'> {
  const invalid = (message: string) => biasError('BIAS.INVALID_OPTIONS', message);
  if (!options.label) throw invalid('name the label column');
  if (typeof options.positive !== 'string' || options.positive === '') throw invalid('give the positive label value as non-empty text');
  if (options.protected.length === 0) throw invalid('name at least one protected column');
  const columns = [options.label, ...options.protected, ...(options.prediction === undefined ? [] : [options.prediction])];
  if (columns.some((column) => column === '')) throw invalid('column names must not be empty');
  const repeated = columns.find((column, i) => columns.indexOf(column) !== i);
  if (repeated !== undefined) throw invalid(`column ${repeated} is named twice among label, protected and prediction columns`);
  const maxGroups = options.maxGroups ?? DEFAULT_MAX_GROUPS;
  const maxLabelValues = options.maxLabelValues ?? DEFAULT_MAX_LABEL_VALUES;
  if (!Number.isInteger(maxGroups) || maxGroups < 1 || !Number.isInteger(maxLabelValues) || maxLabelValues < 1) {
    throw invalid('maxGroups and maxLabelValues must be positive integers');
  }
  return { ...options, maxGroups, maxLabelValues };
}
