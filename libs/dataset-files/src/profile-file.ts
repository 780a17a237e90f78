import type { Transform } from 'node:stream';
import type { ColumnProfile } from '@mgov/contracts';
import { asFiniteNumber, categoryOf, type ColumnSummary, isMissing, StreamingProfile, type StreamingProfileOptions, valueType } from '@mgov/stats';
import { type CsvReadOptions, csvTap, scanCsvFile } from './csv-file';
import { csvProfiler, recountCategories } from './csv-profiler';
import type { DatasetFormat } from './dataset-format';
import { readRows, type ReadRowsOptions, relabelled } from './read-rows';

export interface DatasetProfile {
  readonly rowCount: number;
  /** Column names in file order (first-seen order for JSON Lines). */
  readonly columns: readonly string[];
  readonly profiles: readonly ColumnProfile[];
  readonly summaries: readonly ColumnSummary[];
}

export type ProfileFileOptions = ReadRowsOptions & StreamingProfileOptions;

function finished(profile: StreamingProfile, columns: readonly string[]): DatasetProfile {
  return { rowCount: profile.rows, columns, profiles: profile.profiles(), summaries: profile.summaries() };
}

/** One value of a JSON Lines or Parquet row (or any JavaScript value), by `profileColumns`' rules. */
export function profileValue(profile: StreamingProfile, c: number, value: unknown): void {
  if (isMissing(value)) return;
  const n = asFiniteNumber(value);
  if (n !== null) profile.number(c, n);
  else if (typeof value === 'string') profile.text(c, value);
  else profile.value(c, valueType(value));
  if (profile.wantsCategory(c)) profile.category(c, categoryOf(value));
}

async function profileRows(path: string, format: DatasetFormat, profile: StreamingProfile, options: ProfileFileOptions): Promise<string[]> {
  const columns: string[] = [];
  for await (const row of readRows(path, format, options)) {
    for (const name of Object.keys(row)) {
      const c = profile.column(name);
      if (c === columns.length) columns.push(name);
      profileValue(profile, c, row[name]);
    }
    profile.endRow();
  }
  return columns;
}

/**
 * Row count, schema and per-column profile of a dataset file in one streaming pass, in memory that
 * grows with the columns, never with the rows. Refusals are the readers' DATASET.* errors.
 */
export async function profileDatasetFile(path: string, format: DatasetFormat, options: ProfileFileOptions = {}): Promise<DatasetProfile> {
  const profile = new StreamingProfile(options);
  try {
    const columns: string[] = [];
    if (format === 'csv') {
      const profiler = csvProfiler(profile, columns);
      await scanCsvFile(path, profiler, options);
      const recount = profiler.finish();
      if (recount.length > 0) await recountCategories(path, profile, recount, options);
    } else columns.push(...(await profileRows(path, format, profile, options)));
    return finished(profile, columns);
  } catch (error) {
    throw relabelled(error, path, options.label);
  }
}

/**
 * The CSV profile taken on the way to storage: put `transforms` in the upload's pipeline, and ask
 * for `result(path)` with the stored copy once it has finished without error (the copy is read again
 * only when a column mixes numbers and text).
 */
export function csvProfileTap(options: CsvReadOptions & StreamingProfileOptions = {}): { transforms: Transform[]; result(path: string): Promise<DatasetProfile> } {
  const profile = new StreamingProfile(options);
  const columns: string[] = [];
  const profiler = csvProfiler(profile, columns);
  return {
    transforms: csvTap(profiler, options),
    async result(path) {
      const recount = profiler.finish();
      if (recount.length > 0) await recountCategories(path, profile, recount, options);
      return finished(profile, columns);
    },
  };
}
