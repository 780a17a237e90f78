import { asFiniteNumber, isMissing, type StreamingProfile } from '@mgov/stats';
import { type CsvHandler, type CsvReadOptions, scanCsvFile } from './csv-file';
import { numberAt } from './csv-number';
import { type CsvRecord, FieldKind, fieldText } from './csv-record';
import { FieldInterner, NOT_INTERNED, TOO_MANY } from './field-interner';

// Bound once: an imported binding is a getter in the CommonJS these files run as, too slow per field.
const ESCAPED: number = FieldKind.Escaped;
const NOT_KEPT = NOT_INTERNED;
const OVER_LIMIT = TOO_MANY;
const textOf = fieldText;
const plainDecimal = numberAt;

export interface CsvProfiler extends CsvHandler {
  /** Hands the category counts to the profile; returns the columns whose categories need `recountCategories`. */
  finish(): number[];
}

/**
 * Profiles CSV records field by field from their bytes: plain decimals come read by the scanner, and
 * text categories are counted by FieldInterner, which decodes each distinct value once. Numbers count
 * no category (a numeric column has none): a column that turns out to mix numbers and text is
 * categorical, and its categories are then counted in a second pass (rare, and only over that column).
 */
export function csvProfiler(profile: StreamingProfile, columns: string[]): CsvProfiler {
  let interners: FieldInterner[] = [];
  /** Counts a text field's category; returns its interned slot (or a negative answer). */
  const countCategory = (record: CsvRecord, c: number): number => {
    if (!profile.wantsCategory(c)) return NOT_KEPT;
    const slot = interners[c]!.count(record, c);
    if (slot === NOT_KEPT) profile.category(c, textOf(record, c));
    else if (slot === OVER_LIMIT) profile.dropCategories(c);
    return slot;
  };
  /** Text that did not read as a plain decimal: the general rules, as for any other format. */
  const textCell = (c: number, text: string) => {
    if (isMissing(text)) return;
    const n = asFiniteNumber(text);
    if (n !== null) return profile.number(c, n);
    profile.text(c, text);
    profile.category(c, text);
  };
  const cell = (record: CsvRecord, c: number) => {
    const start = record.starts[c]!;
    const end = record.ends[c]!;
    if (start === end) return;
    const scanned = record.values[c]!;
    if (scanned === scanned) return profile.number(c, scanned);
    const n = record.kinds[c] === ESCAPED ? undefined : plainDecimal(record.bytes, start, end);
    if (n === undefined) return textCell(c, textOf(record, c));
    if (n === n) return profile.number(c, n);
    const slot = countCategory(record, c);
    if (!profile.needsText(c)) return profile.text(c);
    profile.text(c, slot >= 0 ? interners[c]!.text(slot) : textOf(record, c));
  };
  return {
    header: (names) => {
      for (const name of names) {
        columns.push(name);
        profile.column(name);
      }
      interners = names.map(() => new FieldInterner(profile.categoryLimit));
    },
    record: (record) => {
      for (let c = 0; c < record.count; c += 1) cell(record, c);
      profile.endRow();
    },
    finish: () => {
      const counted = interners;
      // Handed over once, however often the result is asked for.
      interners = [];
      const recount: number[] = [];
      counted.forEach((interner, c) => {
        if (!profile.wantsCategory(c)) return;
        if (profile.mixesNumbersAndText(c)) return recount.push(c);
        for (const [text, count] of interner.entries()) profile.category(c, text, count);
      });
      return recount;
    },
  };
}

/** The second pass: every present value of `columns` counted as its text, numbers included. */
export async function recountCategories(path: string, profile: StreamingProfile, columns: readonly number[], options: CsvReadOptions = {}): Promise<void> {
  for (const c of columns) profile.resetCategories(c);
  await scanCsvFile(path, {
    header: () => undefined,
    record: (record) => {
      for (const c of columns) {
        if (record.starts[c] === record.ends[c]) continue;
        const text = fieldText(record, c);
        if (!isMissing(text)) profile.category(c, text);
      }
    },
  }, options);
}
