import type { ColumnProfile } from '@mgov/contracts';
import { type InferredType, textType, widenType } from './inferred-type';
import { NumericDistribution } from './numeric-distribution';
import { DEFAULT_BIN_COUNT } from './profile-columns';

/** What a dataset version records about a column besides its profile: its type and numeric summary. */
export interface ColumnSummary {
  readonly name: string;
  readonly type: InferredType;
  readonly missing: number;
  /** Distinct values of a categorical column; null when numeric or above the category limit. */
  readonly distinct: number | null;
  readonly min: number | null;
  readonly max: number | null;
  readonly mean: number | null;
  /** Quantiles (p1 … p99) of a numeric column. */
  readonly quantiles: Readonly<Record<string, number>>;
}

export interface StreamingProfileOptions {
  readonly bins?: number;
  /** Distinct categories counted per column (default 1000); beyond, the column keeps no category counts. */
  readonly maxCategories?: number;
}

export const DEFAULT_MAX_CATEGORIES = 1000;

class ColumnTally {
  present = 0;
  texts = 0;
  min = Number.POSITIVE_INFINITY;
  max = Number.NEGATIVE_INFINITY;
  sum = 0;
  type: InferredType = 'empty';
  categories: Map<string, number> | null = new Map();
  readonly distribution = new NumericDistribution();
  constructor(readonly name: string) {}

  get numeric(): boolean {
    return this.present > 0 && this.texts === 0;
  }
}

/**
 * A column profile built from a stream in one pass, in memory that grows with the columns, never
 * with the rows. Per present cell the caller reports what it is (`number`, `text` or `value`) and,
 * while `wantsCategory` says so, its category text (`category`): a column that ends up mixing
 * numbers and text is categorical, counted over every present value, as `profileColumns` does.
 */
export class StreamingProfile {
  private readonly columns: ColumnTally[] = [];
  private readonly byName = new Map<string, number>();
  private readonly bins: number;
  private readonly maxCategories: number;
  private rowCount = 0;

  constructor(options: StreamingProfileOptions = {}) {
    this.bins = options.bins ?? DEFAULT_BIN_COUNT;
    this.maxCategories = options.maxCategories ?? DEFAULT_MAX_CATEGORIES;
  }

  get rows(): number {
    return this.rowCount;
  }

  /** The index of a column, added (in first-seen order) when new. */
  column(name: string): number {
    let index = this.byName.get(name);
    if (index === undefined) {
      index = this.columns.push(new ColumnTally(name)) - 1;
      this.byName.set(name, index);
    }
    return index;
  }

  number(c: number, n: number): void {
    const t = this.columns[c]!;
    t.present += 1;
    if (n < t.min) t.min = n;
    if (n > t.max) t.max = n;
    t.sum += n;
    t.distribution.add(n);
    // Only a column still typed integer (or nothing yet) can learn anything from one more number.
    const type = t.type;
    if (type === 'integer' ? !Number.isInteger(n) : type !== 'number' && type !== 'string') t.type = widenType(type, Number.isInteger(n) ? 'integer' : 'number');
  }

  /** A present text cell that is not a number; its text may be left out once `needsText` says false. */
  text(c: number, text?: string): void {
    const t = this.columns[c]!;
    t.present += 1;
    t.texts += 1;
    if (t.type !== 'string') t.type = widenType(t.type, textType(text ?? ''));
  }

  /** Whether a text cell of column `c` still tells anything by its text (its type may still narrow). */
  needsText(c: number): boolean {
    return this.columns[c]!.type !== 'string';
  }

  /** A present cell that is neither a number nor text (a boolean, an object). */
  value(c: number, type: InferredType): void {
    const t = this.columns[c]!;
    t.present += 1;
    t.texts += 1;
    t.type = widenType(t.type, type);
  }

  /** Whether column `c` still counts categories (false past the limit: skip making the text). */
  wantsCategory(c: number): boolean {
    return this.columns[c]!.categories !== null;
  }

  /** Counts the category text of a present cell (`count` of them, for a reader that counted them itself). */
  category(c: number, key: string, count = 1): void {
    const t = this.columns[c]!;
    const categories = t.categories;
    if (categories === null) return;
    const seen = categories.get(key);
    if (seen !== undefined) categories.set(key, seen + count);
    else if (categories.size >= this.maxCategories) t.categories = null;
    else categories.set(key, count);
  }

  /** Whether column `c` has both numbers and text cells (so it is categorical, over all of them). */
  mixesNumbersAndText(c: number): boolean {
    const t = this.columns[c]!;
    return t.texts > 0 && t.present > t.texts;
  }

  /** Forgets column `c`'s category counts, for a reader that counts them again. */
  resetCategories(c: number): void {
    this.columns[c]!.categories = new Map();
  }

  /** Stops counting column `c`'s categories: it has more distinct values than the limit. */
  dropCategories(c: number): void {
    this.columns[c]!.categories = null;
  }

  get categoryLimit(): number {
    return this.maxCategories;
  }

  endRow(): void {
    this.rowCount += 1;
  }

  profiles(): ColumnProfile[] {
    return this.columns.map((t) => {
      const missing = this.rowCount - t.present;
      if (t.numeric) {
        const { edges, counts } = t.distribution.result(t.min, t.max, this.bins);
        return { name: t.name, kind: 'numeric', count: t.present, missing, binEdges: edges, binCounts: counts, categoryCounts: {} };
      }
      return { name: t.name, kind: 'categorical', count: t.present, missing, binEdges: [], binCounts: [], categoryCounts: Object.fromEntries(t.categories ?? []) };
    });
  }

  summaries(): ColumnSummary[] {
    return this.columns.map((t) => {
      const numeric = t.numeric;
      return {
        name: t.name, type: t.type, missing: this.rowCount - t.present,
        distinct: numeric || t.categories === null ? null : t.categories.size,
        min: numeric ? t.min : null, max: numeric ? t.max : null, mean: numeric ? t.sum / t.present : null,
        quantiles: numeric ? t.distribution.result(t.min, t.max, this.bins).quantiles : {},
      };
    });
  }
}
