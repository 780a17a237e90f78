import { createReadStream } from 'node:fs';
import { pipeline } from 'node:stream';
import { Transform, type TransformCallback } from 'node:stream';
import { datasetFileError } from './dataset-file-error';
import { type CsvRecord, type CsvScannerOptions, fieldText } from './csv-record';
import { CsvScanner } from './csv-scanner';
import { utf8Guard } from './utf8-guard';

export interface CsvReadOptions extends CsvScannerOptions {
  /** How messages name the file (default: its path), e.g. "the upload" for a staged copy. */
  readonly label?: string;
}

/** Receives a CSV file's header, then each record, whose field count is already checked against it. */
export interface CsvHandler {
  header(names: readonly string[]): void;
  record(record: CsvRecord): void;
}

const READ_CHUNK_BYTES = 1024 * 1024;

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

/**
 * A CSV dataset pushed chunk by chunk (UTF-8 already checked): the first record is the header, every
 * other must have as many fields. `end` refuses an empty file and a header without rows.
 */
export class CheckedCsv {
  private readonly scanner: CsvScanner;
  private columns = -1;
  private count = 0;

  constructor(handler: CsvHandler, private readonly options: CsvReadOptions = {}) {
    this.scanner = new CsvScanner((record) => {
      if (this.columns === -1) {
        const names = checkedHeader(Array.from({ length: record.count }, (_, i) => fieldText(record, i)));
        this.columns = names.length;
        handler.header(names);
        return;
      }
      if (record.count !== this.columns) {
        throw datasetFileError('DATASET.RAGGED_ROW', `line ${record.line}: ${record.count} fields where the header has ${this.columns}; quote values that contain the delimiter, or fix the row`);
      }
      this.count += 1;
      handler.record(record);
    }, options);
  }

  get rows(): number {
    return this.count;
  }

  push(chunk: Buffer): void {
    this.scanner.push(chunk);
  }

  end(label = this.options.label ?? 'the file'): number {
    this.scanner.end();
    if (this.columns === -1) throw datasetFileError('DATASET.EMPTY', `${label} is empty: a CSV dataset needs a header line and at least one row`);
    if (this.count === 0) throw datasetFileError('DATASET.EMPTY', `${label} has a header but no rows`);
    return this.count;
  }
}

/**
 * Stream stages that check CSV bytes on their way through (to a staging file, say) and pass them on
 * unchanged: the upload is read once, and its first refusal aborts it.
 */
export function csvTap(handler: CsvHandler, options: CsvReadOptions = {}): Transform[] {
  const csv = new CheckedCsv(handler, options);
  const tap = new Transform({
    transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback) {
      try {
        csv.push(chunk);
      } catch (error) {
        return done(error as Error);
      }
      done(null, chunk);
    },
    flush(done: TransformCallback) {
      try {
        csv.end();
      } catch (error) {
        return done(error as Error);
      }
      done();
    },
  });
  return [utf8Guard(), tap];
}

/**
 * Streams a UTF-8 CSV file with a header line through `handler`, yielding after each chunk (so a
 * caller can hand on what the handler gathered) with the number of rows so far. Refuses an empty
 * file, a header without rows, a bad header, a ragged row and malformed quoting, naming the line.
 */
export async function* scanCsvChunks(path: string, handler: CsvHandler, options: CsvReadOptions = {}): AsyncGenerator<number> {
  const source = createReadStream(path, { highWaterMark: READ_CHUNK_BYTES });
  const guarded = utf8Guard();
  // Errors from any stage reach the loop below through the guard; the callback only has to exist.
  pipeline(source, guarded, () => undefined);
  const csv = new CheckedCsv(handler, options);
  try {
    for await (const chunk of guarded) {
      csv.push(chunk as Buffer);
      yield csv.rows;
    }
    yield csv.end(options.label ?? path);
  } finally {
    guarded.destroy();
    source.destroy();
  }
}

/** Streams a CSV file through `handler` to its end; returns the number of rows. */
export async function scanCsvFile(path: string, handler: CsvHandler, options: CsvReadOptions = {}): Promise<number> {
  let rows = 0;
  for await (const seen of scanCsvChunks(path, handler, options)) rows = seen;
  return rows;
}
