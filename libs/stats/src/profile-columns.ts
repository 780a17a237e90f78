import type { ColumnProfile } from '@mgov/contracts';
import { histogram } from './histogram';

export interface ProfileOptions {
  /** Equal-width bins between a numeric column's min and max (default 10). */
  readonly bins?: number;
  /** Columns to profile, in this order; default: every key seen, in first-seen order. */
  readonly columns?: readonly string[];
}

export const DEFAULT_BIN_COUNT = 10;

const NUMERIC_TEXT = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** Absent, null, blank text and NaN count as missing. */
export function isMissing(value: unknown): boolean {
  if (value === undefined || value === null) return true;
  if (typeof value === 'string') return value.trim() === '';
  return typeof value === 'number' && Number.isNaN(value);
}

/** A finite number, or text that reads as one (no hex, no `Infinity`); otherwise null. */
export function asFiniteNumber(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value !== 'string' || !NUMERIC_TEXT.test(value.trim())) return null;
  const parsed = Number(value.trim());
  return Number.isFinite(parsed) ? parsed : null;
}

/** The text a categorical value is counted under. */
export function categoryOf(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  return JSON.stringify(value);
}

/**
 * Interior edges of `bins` equal-width bins between `min` and `max`. A constant column gets a
 * narrow band around its value, so that any later departure from the constant lands in an outer bin.
 */
export function equalWidthEdges(min: number, max: number, bins = DEFAULT_BIN_COUNT): number[] {
  if (!Number.isInteger(bins) || bins < 1) throw new RangeError(`bins must be a positive integer, got ${bins}`);
  if (min === max) {
    const band = Math.max(Math.abs(min), 1) * 1e-9;
    return [min - band, min + band];
  }
  // Divided before subtracting so that max - min cannot overflow to Infinity.
  const step = max / bins - min / bins;
  const edges: number[] = [];
  for (let i = 1; i < bins; i += 1) {
    const edge = min + step * i;
    if (edges.length === 0 || edge > edges[edges.length - 1]!) edges.push(edge);
  }
  return edges;
}

function columnNames(rows: readonly Record<string, unknown>[]): string[] {
  const names = new Set<string>();
  for (const row of rows) for (const name of Object.keys(row)) names.add(name);
  return [...names];
}

function profileColumn(name: string, values: readonly unknown[], bins: number): ColumnProfile {
  const present = values.filter((value) => !isMissing(value));
  const missing = values.length - present.length;
  const numbers = present.map(asFiniteNumber);
  // A column with no values at all gives no evidence of being numeric: it is profiled as categorical.
  if (present.length > 0 && numbers.every((n): n is number => n !== null)) {
    const min = numbers.reduce((a, b) => Math.min(a, b));
    const max = numbers.reduce((a, b) => Math.max(a, b));
    const binEdges = equalWidthEdges(min, max, bins);
    return { name, kind: 'numeric', count: present.length, missing, binEdges, binCounts: histogram(numbers, binEdges), categoryCounts: {} };
  }
  const counts = new Map<string, number>();
  for (const value of present) {
    const category = categoryOf(value);
    counts.set(category, (counts.get(category) ?? 0) + 1);
  }
  return { name, kind: 'categorical', count: present.length, missing, binEdges: [], binCounts: [], categoryCounts: Object.fromEntries(counts) };
}

/**
 * One profile per column: numeric when every non-missing value is a finite number or numeric text
 * (equal-width histogram between min and max), categorical otherwise (counts per category).
 */
export function profileColumns(rows: readonly Record<string, unknown>[], opts: ProfileOptions = {}): ColumnProfile[] {
  const bins = opts.bins ?? DEFAULT_BIN_COUNT;
  const names = opts.columns ?? columnNames(rows);
  return names.map((name) =>
    profileColumn(name, rows.map((row) => (Object.hasOwn(row, name) ? row[name] : undefined)), bins),
  );
}
