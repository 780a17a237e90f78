import Table from 'cli-table3';

export interface Column<R> {
  readonly header: string;
  readonly value: (row: R) => unknown;
}

/** Renders one row per item under the given columns; "(none)" for an empty list. */
export function listTable<R>(rows: readonly R[], columns: readonly Column<R>[]): string {
  if (rows.length === 0) return '(none)';
  const table = new Table({ head: columns.map((c) => c.header), style: style() });
  for (const row of rows) table.push(columns.map((c) => cell(c.value(row))));
  return table.toString();
}

/** Renders one object as a two-column field | value table, in the given field order. */
export function recordTable(record: object, fields: readonly string[] = Object.keys(record)): string {
  const values = record as Record<string, unknown>;
  const table = new Table({ style: style() });
  for (const field of fields) table.push({ [field]: cell(values[field]) });
  return table.toString();
}

/** One table cell: lists joined by commas, maps as k=v, nothing as an empty cell. */
export function cell(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (Array.isArray(value)) return value.map(cell).join(', ');
  if (typeof value === 'object') {
    return Object.entries(value as Record<string, unknown>).map(([k, v]) => `${k}=${typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v)}`).join(', ');
  }
  return String(value);
}

function style() {
  // Colour escapes only where a person reads them; piped tables stay plain text.
  return { head: process.stdout.isTTY ? ['cyan'] : [], border: [] };
}
