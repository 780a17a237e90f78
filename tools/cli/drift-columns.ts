import { createReadStream, statSync } from 'node:fs';
import { pipeline } from 'node:stream';
import { CheckedCsv, type CsvRecord, fieldText, formatFromFileName, utf8Guard } from '@mgov/dataset-files';
import { asFiniteNumber, type ColumnSample } from '@mgov/stats';
import { UsageError } from './failures';
import { progressOf } from './progress';

/** Distinct texts counted per all-numeric column before counting stops (it is then numeric anyway). */
const MAX_COUNTED_NUMERIC_TEXTS = 10_000;
const PROGRESS_FROM_BYTES = 16 * 1024 * 1024;

/** One column's values, gathered in one pass with memory bounded by the row count (8 bytes per number). */
class ColumnAccumulator implements ColumnSample {
  private values = new Float64Array(1024);
  private size = 0;
  categories: Map<string, number> | null = new Map();
  nonNumeric = false;
  /** Text seen after counting stopped: the column is categorical and needs a recount. */
  recount = false;

  constructor(private readonly alwaysCount: boolean) {}

  get numbers(): Float64Array {
    return this.values.subarray(0, this.size);
  }

  number(value: number, text: () => string): void {
    if (this.size === this.values.length) {
      const grown = new Float64Array(this.size * 2);
      grown.set(this.values);
      this.values = grown;
    }
    this.values[this.size++] = value;
    if (this.categories !== null) this.count(text());
  }

  text(value: string): void {
    this.nonNumeric = true;
    if (this.categories === null) this.recount = true;
    else this.count(value);
  }

  private count(text: string): void {
    const categories = this.categories!;
    categories.set(text, (categories.get(text) ?? 0) + 1);
    if (!this.alwaysCount && !this.nonNumeric && categories.size > MAX_COUNTED_NUMERIC_TEXTS) this.categories = null;
  }
}

export interface ReadColumns {
  readonly rows: number;
  /** Every column of the file, in file order. */
  readonly names: readonly string[];
  readonly columns: ReadonlyMap<string, ColumnAccumulator>;
}

function add(column: ColumnAccumulator, raw: unknown): void {
  if (raw === undefined || raw === null) return;
  if (typeof raw === 'number') {
    if (Number.isFinite(raw)) column.number(raw, () => String(raw));
    return;
  }
  const text = typeof raw === 'string' ? raw : typeof raw === 'boolean' ? String(raw) : JSON.stringify(raw);
  if (text.trim() === '') return;
  const number = asFiniteNumber(text);
  if (number === null) column.text(text);
  else column.number(number, () => text);
}

type Visit = (onChunk: (bytes: number) => void) => Promise<{ rows: number; names: string[] }>;

async function readCsv(path: string, wanted: (name: string) => ColumnAccumulator | null, onChunk: (bytes: number) => void) {
  let names: string[] = [];
  let slots: Array<[number, ColumnAccumulator]> = [];
  const csv = new CheckedCsv({
    header(header) {
      names = [...header];
      slots = names.flatMap((name, i) => {
        const column = wanted(name);
        return column ? [[i, column] as [number, ColumnAccumulator]] : [];
      });
    },
    record(record: CsvRecord) {
      for (const [i, column] of slots) {
        const value = record.values[i]!;
        if (Number.isNaN(value)) add(column, fieldText(record, i));
        else column.number(value, () => fieldText(record, i));
      }
    },
  }, { label: path });
  const source = createReadStream(path, { highWaterMark: 1024 * 1024 });
  const guarded = utf8Guard();
  pipeline(source, guarded, () => undefined);
  for await (const chunk of guarded) {
    csv.push(chunk as Buffer);
    onChunk((chunk as Buffer).length);
  }
  return { rows: csv.end(path), names };
}

async function readJsonLines(path: string, wanted: (name: string) => ColumnAccumulator | null, onChunk: (bytes: number) => void) {
  const names: string[] = [];
  const columns = new Map<string, ColumnAccumulator | null>();
  let rows = 0;
  let line = 0;
  let rest = '';
  const take = (text: string) => {
    line += 1;
    if (text.trim() === '') return;
    let row: unknown;
    try {
      row = JSON.parse(text);
    } catch (error) {
      throw new UsageError(`${path} line ${line}: not valid JSON (${(error as Error).message}); each line must be one JSON object`);
    }
    if (typeof row !== 'object' || row === null || Array.isArray(row)) throw new UsageError(`${path} line ${line}: expected a JSON object`);
    rows += 1;
    for (const [name, value] of Object.entries(row)) {
      let column = columns.get(name);
      if (column === undefined) {
        names.push(name);
        column = wanted(name);
        columns.set(name, column);
      }
      if (column) add(column, value);
    }
  };
  for await (const chunk of createReadStream(path, { encoding: 'utf8', highWaterMark: 1024 * 1024 })) {
    const lines = (rest + (chunk as string)).split('\n');
    rest = lines.pop()!;
    for (const text of lines) take(text);
    onChunk(Buffer.byteLength(chunk as string));
  }
  take(rest);
  if (rows === 0) throw new UsageError(`${path} has no rows`);
  return { rows, names };
}

/**
 * The columns of a CSV or JSON Lines file (by extension), read once; `select` limits which are kept
 * (null: all) and `categorical` ones count every value by its text.
 */
export async function readDriftColumns(path: string, select: readonly string[] | null, categorical: readonly string[]): Promise<ReadColumns> {
  let size: number;
  let format: string;
  try {
    size = statSync(path).size;
    format = formatFromFileName(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(`cannot read ${path}: ${code === 'ENOENT' ? 'no such file' : (error as Error).message}`);
  }
  if (format === 'parquet') throw new UsageError(`${path}: mgov drift reads CSV and JSON Lines files, not Parquet`);
  const columns = new Map<string, ColumnAccumulator>();
  const wanted = (name: string) => {
    if (select !== null && !select.includes(name)) return null;
    const column = new ColumnAccumulator(categorical.includes(name));
    columns.set(name, column);
    return column;
  };
  const progress = size >= PROGRESS_FROM_BYTES ? progressOf(size, `bytes of ${path}`) : null;
  const visit: Visit = (onChunk) => (format === 'csv' ? readCsv(path, wanted, onChunk) : readJsonLines(path, wanted, onChunk));
  try {
    const { rows, names } = await visit((bytes) => progress?.advance(bytes));
    const recount = [...columns].filter(([, column]) => column.recount).map(([name]) => name);
    if (recount.length > 0) {
      // Text turned up in a column whose numbers were no longer counted: count that column again.
      const again = await readDriftColumns(path, recount, recount);
      for (const name of recount) columns.set(name, again.columns.get(name)!);
    }
    return { rows, names, columns };
  } catch (error) {
    if (error instanceof UsageError) throw error;
    const message = String((error as Error).message).replace(/\s*[\r\n]+\s*/g, ' ');
    throw new UsageError(message.includes(path) ? message : `${path}: ${message}`);
  } finally {
    progress?.stop();
  }
}
