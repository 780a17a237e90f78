import { type Command, InvalidArgumentError } from 'commander';
import type { BiasReport, FacetReport, GroupReport } from '@mgov/bias';
import { collectList } from './arguments';
import { UsageError } from './failures';
import { cliOf, leaf } from './global-options';
import { listTable } from './tables';

interface BiasCommandOptions {
  readonly data: string;
  readonly label: string;
  readonly positive: string;
  readonly protected: string[];
  readonly prediction?: string;
}

const LABEL_METRICS = ['ci', 'dpl', 'kl', 'js', 'lp', 'tvd', 'ks'] as const;
const PREDICTION_METRICS = ['selection_rate', 'dppl', 'di', 'recall_difference', 'accuracy_difference'] as const;
const FACET_METRICS = ['demographic_parity_difference', 'demographic_parity_ratio', 'equalized_odds_difference'] as const;

const DEFINITIONS = `
Reads a CSV (with a header line), JSON Lines or Parquet file, by its extension; nothing is sent.
Values are compared as text. For each value d of a protected column, the other side a is every
other row. Label metrics: ci = (na-nd)/(na+nd), dpl = qa-qd (q: share of --positive labels), and
kl, js, lp, tvd, ks between the label distributions of a and d. With --prediction: selection_rate,
dppl, di, recall_difference, accuracy_difference per group, and per protected column
demographic_parity_difference, demographic_parity_ratio, equalized_odds_difference.
A metric without a finite value (one group only, infinite kl, no positives) is null.
An unreadable, empty or malformed file, or a column the file lacks, is a usage error (exit 2).`;

export function addBiasCommands(program: Command): void {
  leaf(program, 'bias', 'pre-training bias metrics of a data file, computed locally (no server)', ['url', 'token'])
    .requiredOption('--data <file>', 'the data: .csv, .jsonl / .ndjson or .parquet')
    .requiredOption('--label <column>', 'the label column')
    .requiredOption('--positive <value>', 'the label value that is the positive outcome (also the positive prediction)')
    .requiredOption('--protected <columns>', 'protected column(s), comma-separated: each value is a group', protectedColumns)
    .option('--prediction <column>', "a column of the model's predictions; adds the prediction metrics")
    .addHelpText('after', DEFINITIONS)
    // Every refusal is one line on stderr, the usage hint included (scripts read the reason).
    .showHelpAfterError(false)
    .action(async (options: BiasCommandOptions, command: Command) => {
      const { out } = cliOf(command);
      const report = await scan(options);
      out.show(report, reportTables);
    });
}

function protectedColumns(value: string, previous: string[] | undefined): string[] {
  const columns = collectList(value, previous);
  if (columns.length === 0) throw new InvalidArgumentError('name at least one column, e.g. --protected sex,age_band');
  return columns;
}

/** The libraries (and the Parquet reader) load only when a scan runs, so other commands start fast. */
async function scan(options: BiasCommandOptions): Promise<BiasReport> {
  const [{ biasReport }, { formatFromFileName, readRows }] = await Promise.all([import('@mgov/bias'), import('@mgov/dataset-files')]);
  const file = options.data;
  try {
    const format = formatFromFileName(file);
    const declared = [options.label, ...options.protected, ...(options.prediction === undefined ? [] : [options.prediction])];
    const rows = readRows(file, format);
    return await biasReport(format === 'csv' ? headerChecked(rows, declared, file) : rows, {
      label: options.label, positive: options.positive, protected: options.protected, prediction: options.prediction,
    });
  } catch (error) {
    throw asUsageError(error, file);
  }
}

/**
 * A CSV row has every column of the header, so its first row already tells whether a declared column
 * is missing: refuse then rather than after reading the whole file.
 */
async function* headerChecked(rows: AsyncGenerator<Record<string, unknown>>, declared: readonly string[], file: string): AsyncGenerator<Record<string, unknown>> {
  let checked = false;
  for await (const row of rows) {
    if (!checked) {
      const missing = declared.filter((column) => !Object.hasOwn(row, column));
      if (missing.length > 0) {
        throw new UsageError(`${file}: no column ${missing.join(', ')}; the header has ${Object.keys(row).join(', ')}`);
      }
      checked = true;
    }
    yield row;
  }
}

/** The libraries' refusals (DATASET.*, BIAS.*) and failures to read the file are usage errors, on one line. */
function asUsageError(error: unknown, file: string): unknown {
  if (error instanceof UsageError) return error;
  const { code, syscall, message } = (error ?? {}) as NodeJS.ErrnoException;
  const refusal = typeof code === 'string' && /^(DATASET|BIAS)\./.test(code);
  if (!refusal && syscall === undefined) return error;
  const reason = String(message).replace(/\s*[\r\n]+\s*/g, ' ').trim();
  // Options the scanner refuses are not about the file; everything else is, and says which file.
  if (code === 'BIAS.INVALID_OPTIONS') return new UsageError(reason);
  if (syscall !== undefined && !refusal) return new UsageError(`cannot read ${file}: ${reason}`);
  return new UsageError(reason.includes(file) ? reason : `${file}: ${reason}`);
}

/** Per protected column: its groups and their metrics (label, then prediction), then the column's own metrics. */
function reportTables(report: BiasReport): string {
  const heading = `${report.rows} rows; label ${report.label}, positive ${JSON.stringify(report.positive)}`;
  const facets = Object.entries(report.facets).map(([column, facet]) => facetTables(column, facet));
  const footnote = hasUndefinedMetric(report) ? ['n/a: no finite value (one group only, an infinite kl, nothing to divide by)'] : [];
  return [heading, ...facets, ...footnote].join('\n\n');
}

function hasUndefinedMetric(report: BiasReport): boolean {
  return Object.values(report.facets).some((facet) =>
    FACET_METRICS.some((metric) => facet[metric] === null) || Object.values(facet.groups).some((group) => Object.values(group).includes(null)));
}

type GroupEntry = [string, GroupReport];

function facetTables(column: string, facet: FacetReport): string {
  const groups: GroupEntry[] = Object.entries(facet.groups);
  const withPrediction = groups.some(([, group]) => group.selection_rate !== undefined);
  const metricsTable = (metrics: readonly (keyof GroupReport)[]) => listTable(groups, [
    { header: column, value: ([value]) => (value === '' ? '(missing)' : value) },
    { header: 'count', value: ([, group]) => group.count },
    ...metrics.map((metric) => ({ header: metric, value: ([, group]: GroupEntry) => formatted(group[metric]) })),
  ]);
  const overall = FACET_METRICS.filter((metric) => facet[metric] !== undefined).map((metric) => `${metric}: ${formatted(facet[metric])}`);
  return [
    `protected column ${column}`,
    metricsTable(LABEL_METRICS),
    ...(withPrediction ? [metricsTable(PREDICTION_METRICS), ...overall] : []),
  ].join('\n');
}

function formatted(value: number | null | undefined): string {
  return value === null || value === undefined ? 'n/a' : value.toFixed(4);
}
