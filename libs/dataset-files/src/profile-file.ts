import type { Transform } from 'node:stream';
import type { ColumnProfile } from '@mgov/contracts';
import { asFiniteNumber, categoryOf, type ColumnSummary, isMissing, StreamingProfile, type StreamingProfileOptions, valueType } from '@mgov/stats';
import { type CsvHandler, type CsvReadOptions, csvTap, scanCsvFile } from './csv-file';
import { numberAt } from './csv-number';
import { type CsvRecord, FieldKind, fieldText } from './csv-scanner';
import type { DatasetFormat } from './dataset-format';
import { FieldInterner } from './field-interner';
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

/** A text cell: the same rules as `profileValue`, on text that did not read as a plain decimal. */
function textCell(profile: StreamingProfile, c: number, text: string): void {
  if (isMissing(text)) return;
  const n = asFiniteNumber(text);
  if (n === null) profile.text(c, text);
  else profile.number(c, n);
  profile.category(c, text);
}

/**
 * Profiles CSV records field by field from their bytes: plain decimals are read without making a
 * string, and a column's repeated values are decoded once (FieldInterner).
 */
function csvProfiler(profile: StreamingProfile, columns: string[]): CsvHandler {
  let interners: FieldInterner[] = [];
  const cell = (record: CsvRecord, c: number) => {
    const start = record.starts[c]!;
    const end = record.ends[c]!;
    if (start === end) return;
    const n = record.kinds[c] === FieldKind.Escaped ? undefined : numberAt(record.bytes, start, end);
    if (n === undefined) return textCell(profile, c, fieldText(record, c));
    if (n === n) {
      profile.number(c, n);
      if (profile.wantsCategory(c)) profile.category(c, interners[c]!.text(record, c));
      return;
    }
    const text = interners[c]!.text(record, c);
    profile.text(c, text);
    profile.category(c, text);
  };
  return {
    header: (names) => {
      for (const name of names) {
        columns.push(name);
        profile.column(name);
      }
      interners = names.map(() => new FieldInterner());
    },
    record: (record) => {
      for (let c = 0; c < record.count; c += 1) cell(record, c);
      profile.endRow();
    },
  };
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
    if (format === 'csv') await scanCsvFile(path, csvProfiler(profile, columns), options);
    else columns.push(...(await profileRows(path, format, profile, options)));
    return finished(profile, columns);
  } catch (error) {
    throw relabelled(error, path, options.label);
  }
}

/**
 * The CSV profile taken on the way to storage: put `transforms` in the upload's pipeline, and ask
 * for `result()` once it has finished without error.
 */
export function csvProfileTap(options: CsvReadOptions & StreamingProfileOptions = {}): { transforms: Transform[]; result(): DatasetProfile } {
  const profile = new StreamingProfile(options);
  const columns: string[] = [];
  return { transforms: csvTap(csvProfiler(profile, columns), options), result: () => finished(profile, columns) };
}
