import { assertNever, DomainError } from '@mgov/decider';
import { readCsvRows, type CsvReadOptions } from './csv-rows';
import { asDatasetFileError, isDatasetFileError } from './dataset-file-error';
import type { DatasetFormat } from './dataset-format';
import { readJsonLinesRows, type JsonLinesReadOptions } from './jsonl-rows';
import { readParquetRows } from './parquet-rows';

export type ReadRowsOptions = CsvReadOptions & JsonLinesReadOptions;

function rowsOf(path: string, format: DatasetFormat, options: ReadRowsOptions): AsyncGenerator<Record<string, unknown>> {
  switch (format) {
    case 'csv':
      return readCsvRows(path, options);
    case 'jsonl':
      return readJsonLinesRows(path, options);
    case 'parquet':
      return readParquetRows(path);
    default:
      return assertNever(format);
  }
}

/**
 * A refusal about the file at `path` as the caller names it: a staged upload is "the upload" to
 * whoever sent it, not a temporary path on the server.
 */
export function relabelled(error: unknown, path: string, label: string | undefined): unknown {
  const refusal = asDatasetFileError(error, path);
  if (label === undefined || !isDatasetFileError(refusal)) return refusal;
  return new DomainError(refusal.code, refusal.message.split(path).join(label), refusal.status);
}

/**
 * The rows of a dataset file, streamed. Refusals carry DATASET.* codes (empty file, bad encoding,
 * ragged or malformed row naming its line, unreadable path); a loop that stops early closes the file.
 */
export async function* readRows(path: string, format: DatasetFormat, options: ReadRowsOptions = {}): AsyncGenerator<Record<string, unknown>> {
  try {
    yield* rowsOf(path, format, options);
  } catch (error) {
    throw relabelled(error, path, options.label);
  }
}
