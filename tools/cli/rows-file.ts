import { readFileSync } from 'node:fs';
import { UsageError } from './failures';

export type Row = Record<string, unknown>;

/**
 * Row objects from a file: JSON Lines (one object per line, blank lines skipped) or, when the file
 * starts with `[`, one JSON array of objects. Errors name the file and the line.
 */
export function readRows(path: string): Row[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8').replace(/^\uFEFF/, '');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(`cannot read ${path}: ${code === 'ENOENT' ? 'no such file' : (error as Error).message}`);
  }
  const rows = text.trimStart().startsWith('[') ? fromJsonArray(path, text) : fromJsonLines(path, text);
  if (rows.length === 0) throw new UsageError(`${path} has no rows; give one JSON object per line or a JSON array of objects`);
  return rows;
}

function fromJsonLines(path: string, text: string): Row[] {
  const rows: Row[] = [];
  text.split(/\r?\n/).forEach((line, index) => {
    if (line.trim() === '') return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (error) {
      throw new UsageError(`${path} line ${index + 1}: not valid JSON (${(error as Error).message}); each line must be one JSON object`);
    }
    if (!isRow(value)) throw new UsageError(`${path} line ${index + 1}: expected a JSON object, found ${kindOf(value)}`);
    rows.push(value);
  });
  return rows;
}

function fromJsonArray(path: string, text: string): Row[] {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const message = (error as Error).message;
    const position = /at position (\d+)/.exec(message);
    const line = position ? ` line ${text.slice(0, Number(position[1])).split('\n').length}` : '';
    throw new UsageError(`${path}${line}: not a valid JSON array (${message})`);
  }
  if (!Array.isArray(value)) throw new UsageError(`${path}: expected a JSON array of objects, found ${kindOf(value)}`);
  value.forEach((item, index) => {
    if (!isRow(item)) throw new UsageError(`${path} item ${index + 1}: expected a JSON object, found ${kindOf(item)}`);
  });
  return value as Row[];
}

function isRow(value: unknown): value is Row {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function kindOf(value: unknown): string {
  if (value === null) return 'null';
  return Array.isArray(value) ? 'an array' : `a ${typeof value}`;
}
