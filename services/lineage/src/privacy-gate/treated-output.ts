import type { DatasetFormat } from '@mgov/dataset-files';

const BATCH_BYTES = 256 * 1024;
const NEEDS_QUOTES = /[",\r\n]/;

/** One CSV field: quoted (quotes doubled) only when it must be; a missing value is an empty field. */
function csvField(value: unknown): string {
  if (value === null || value === undefined) return '';
  const text = typeof value === 'string' ? value : typeof value === 'object' ? JSON.stringify(value) : String(value);
  return NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * The treated rows as the bytes of the derived version, in batches: CSV stays CSV (header first, in
 * the treated column order), anything else becomes JSON Lines (Parquet is not written back).
 */
export async function* treatedBytes(rows: AsyncIterable<Record<string, unknown>>, format: DatasetFormat, columns: readonly string[]): AsyncGenerator<Buffer> {
  const csv = format === 'csv';
  let batch: string[] = csv ? [columns.map(csvField).join(',')] : [];
  let size = 0;
  for await (const row of rows) {
    // A lone empty field would be a blank line, which CSV readers skip: quote it.
    const line = csv ? columns.map((column) => csvField(row[column])).join(',') || '""' : JSON.stringify(row);
    batch.push(line);
    size += line.length;
    if (size >= BATCH_BYTES) {
      yield Buffer.from(batch.join('\n') + '\n', 'utf8');
      batch = [];
      size = 0;
    }
  }
  if (batch.length > 0) yield Buffer.from(batch.join('\n') + '\n', 'utf8');
}

/** The format the privacy gate writes a treated version in. */
export function treatedFormat(format: DatasetFormat): DatasetFormat {
  return format === 'csv' ? 'csv' : 'jsonl';
}
