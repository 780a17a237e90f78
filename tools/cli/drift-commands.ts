import type { Command } from 'commander';
import type { DriftReport } from '@mgov/stats';
import { collectList } from './arguments';
import { readDriftColumns } from './drift-columns';
import { UsageError } from './failures';
import { cliOf, leaf } from './global-options';
import { listTable } from './tables';

interface DriftOptions {
  readonly reference: string;
  readonly current: string;
  readonly categorical?: string[];
  readonly columns?: string[];
}

const DEFINITIONS = `
Reads two CSV (with a header line) or JSON Lines files, by extension; nothing is sent, empty values
are ignored. A column is categorical if listed in --categorical, if any non-empty value is not a
number, or if it has at most 5 distinct values in the reference. Computed exactly on the raw values:
  ks_statistic, ks_p_value   two-sample Kolmogorov–Smirnov D and its asymptotic two-sided p (numerical)
  wasserstein_normed         1-Wasserstein distance / max(population std of the reference, 0.001)
  psi                        numerical: 10 bins on the reference's deciles (numpy linear); categorical:
                             one bin per category; zero proportions become 0.0001
  jensenshannon              Jensen–Shannon distance (natural log) on the same bins
  chi2_p_value               chi-square goodness of fit of current counts to reference proportions (categorical)
A column drifts when — reference ≤ 1000 rows: ks / chisquare p < 0.05; otherwise: wasserstein /
jensenshannon score ≥ 0.1. dataset_drift: drifted columns / columns ≥ 0.5.
Exit codes: 0 report printed (drift or not), 2 bad usage or an unreadable file.`;

export function addDriftCommands(program: Command): void {
  leaf(program, 'drift', 'offline drift report between a reference and a current data file (no server)', ['url', 'token'])
    .requiredOption('--reference <file>', 'the reference data (e.g. the training set): .csv, .jsonl or .ndjson')
    .requiredOption('--current <file>', 'the data to compare with it')
    .option('--categorical <columns>', 'columns to treat as categorical, comma-separated', collectList)
    .option('--columns <columns>', 'only these columns, comma-separated (default: every column both files have)', collectList)
    .addHelpText('after', DEFINITIONS)
    .showHelpAfterError(false)
    .action(async (options: DriftOptions, command: Command) => {
      const { out } = cliOf(command);
      out.show(await driftOf(options), reportTable);
    });
}

async function driftOf(options: DriftOptions): Promise<DriftReport> {
  const { driftReport, DriftReportError } = await import('@mgov/stats');
  const categorical = options.categorical ?? [];
  const select = options.columns ?? null;
  const reference = await readDriftColumns(options.reference, select, categorical);
  const current = await readDriftColumns(options.current, select, categorical);
  const names = select ?? reference.names.filter((name) => current.columns.has(name));
  const absent = (file: string, read: typeof reference) => names.filter((name) => !read.columns.has(name)).map((name) => `${name} (not in ${file})`);
  const missing = [...absent(options.reference, reference), ...absent(options.current, current)];
  const unknownCategorical = categorical.filter((name) => !names.includes(name));
  if (missing.length > 0) throw new UsageError(`no column ${missing.join(', ')}`);
  if (unknownCategorical.length > 0) throw new UsageError(`--categorical names ${unknownCategorical.join(', ')}, not among the compared columns ${names.join(', ')}`);
  if (names.length === 0) throw new UsageError(`${options.reference} and ${options.current} have no column in common`);
  const columns = new Map(names.map((name) => [name, { reference: reference.columns.get(name)!, current: current.columns.get(name)! }]));
  try {
    return driftReport({ reference: reference.rows, current: current.rows }, columns, { categorical });
  } catch (error) {
    if (error instanceof DriftReportError) throw new UsageError(error.message);
    throw error;
  }
}

const formatted = (value: number | null | undefined) => (value === null || value === undefined ? '' : Number(value.toPrecision(6)).toString());

function reportTable(report: DriftReport): string {
  const rows = Object.entries(report.columns);
  const table = listTable(rows, [
    { header: 'column', value: ([name]) => name },
    { header: 'type', value: ([, c]) => c.type },
    { header: 'method', value: ([, c]) => c.method },
    { header: 'score', value: ([, c]) => formatted(c.score) },
    { header: 'threshold', value: ([, c]) => c.threshold },
    { header: 'drifted', value: ([, c]) => (c.drifted ? 'yes' : 'no') },
    { header: 'ks D', value: ([, c]) => formatted(c.stats.ks_statistic) },
    { header: 'wasserstein', value: ([, c]) => formatted(c.stats.wasserstein_normed) },
    { header: 'psi', value: ([, c]) => formatted(c.stats.psi) },
    { header: 'js', value: ([, c]) => formatted(c.stats.jensenshannon) },
    { header: 'chi2 p', value: ([, c]) => formatted(c.stats.chi2_p_value) },
  ]);
  const summary = `${report.reference_rows} reference rows, ${report.current_rows} current rows; ${report.drifted_columns} of ${rows.length} columns drifted`
    + ` (share ${report.drift_share}): dataset drift ${report.dataset_drift ? 'YES' : 'no'}`;
  return `${table}\n${summary}`;
}
