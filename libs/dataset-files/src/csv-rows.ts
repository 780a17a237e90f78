import { CsvError, parse } from 'csv-parse';
import { createReadStream } from 'node:fs';
import { pipeline } from 'node:stream';
import { datasetFileError } from './dataset-file-error';
import { utf8Guard } from './utf8-guard';

export interface CsvReadOptions {
  /** Field delimiter; default `,`. */
  readonly delimiter?: string;
}

function checkedHeader(header: string[]): string[] {
  const seen = new Set<string>();
  header.forEach((name, index) => {
    if (name.trim() === '') throw datasetFileError('DATASET.MALFORMED_CSV', `line 1: column ${index + 1} of the header has no name; name every column`);
    // Assigned as a key, it would set the row's prototype instead of a value.
    if (name === '__proto__') throw datasetFileError('DATASET.MALFORMED_CSV', 'line 1: a column may not be named "__proto__"; rename it');
    if (seen.has(name)) throw datasetFileError('DATASET.DUPLICATE_COLUMN', `line 1: column "${name}" appears twice in the header; give each column a distinct name`);
    seen.add(name);
  });
  return header;
}

/** Rewords csv-parse's errors as DATASET refusals that name the line and say what to fix. */
function asCsvRefusal(error: unknown, header: readonly string[]): unknown {
  if (!(error instanceof CsvError)) return error;
  const csvError = error as CsvError & { lines?: number; record?: unknown[] };
  switch (csvError.code) {
    case 'CSV_RECORD_INCONSISTENT_FIELDS_LENGTH':
      return datasetFileError(
        'DATASET.RAGGED_ROW',
        `line ${csvError.lines}: ${csvError.record?.length ?? '?'} fields where the header has ${header.length}; quote values that contain the delimiter, or fix the row`,
      );
    case 'CSV_QUOTE_NOT_CLOSED':
      return datasetFileError('DATASET.MALFORMED_CSV', `line ${csvError.lines}: the file ends inside a quoted field; a quote opened before it is never closed`);
    default:
      return datasetFileError('DATASET.MALFORMED_CSV', `line ${csvError.lines ?? '?'}: ${csvError.message}`);
  }
}

/**
 * Records of a UTF-8 CSV file with a header line, streamed; every value is the field's text.
 * The parser yields arrays and the objects are built here: about twice as fast as its `columns` option.
 */
export async function* readCsvRows(path: string, options: CsvReadOptions = {}): AsyncGenerator<Record<string, string>> {
  // Without `columns`, csv-parse still refuses a record whose length differs from the first (the header).
  const parser = parse({ bom: true, skip_empty_lines: true, delimiter: options.delimiter ?? ',' });
  // Errors from any stage reach the loop below through the parser; the callback only has to exist.
  pipeline(createReadStream(path), utf8Guard(), parser, () => undefined);
  let header: string[] | null = null;
  let rows = 0;
  try {
    for await (const fields of parser as AsyncIterable<string[]>) {
      if (header === null) {
        header = checkedHeader(fields);
        continue;
      }
      const row: Record<string, string> = {};
      for (let i = 0; i < header.length; i += 1) row[header[i]!] = fields[i]!;
      rows += 1;
      yield row;
    }
  } catch (error) {
    throw asCsvRefusal(error, header ?? []);
  }
  if (header === null) throw datasetFileError('DATASET.EMPTY', `${path} is empty: a CSV dataset needs a header line and at least one row`);
  if (rows === 0) throw datasetFileError('DATASET.EMPTY', `${path} has a header but no rows`);
}
