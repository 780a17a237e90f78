import { type CsvRecord, FieldKind, fieldText } from './csv-record';

// Bound once: an imported binding is a getter in the CommonJS these files run as, too slow per field.
const ESCAPED: number = FieldKind.Escaped;
const textOf = fieldText;

const SLOTS = 4096;
const MAX_FIELD_BYTES = 64;

/** `count`'s answer for a field it does not keep (too long, or with escaped quotes): count its text elsewhere. */
export const NOT_INTERNED = -1;
/** `count`'s answer once a column has more distinct values than the limit: stop counting its categories. */
export const TOO_MANY = -2;

/**
 * Counts a column's values by their bytes, without decoding a value it has seen before: the category
 * counts of a large CSV cost a hash and a compare per field, not a string and a map lookup.
 */
export class FieldInterner {
  private readonly hashes = new Int32Array(SLOTS);
  /** Each kept value's bytes in one arena (offset, length per slot; length -1: empty slot): no object per key. */
  private readonly arena = new Uint8Array((SLOTS / 2) * MAX_FIELD_BYTES);
  private readonly offsets = new Int32Array(SLOTS);
  private readonly lengths = new Int32Array(SLOTS).fill(-1);
  private used = 0;
  private readonly texts: string[] = new Array(SLOTS);
  private readonly counts = new Float64Array(SLOTS);
  /** Slots in first-seen order, so categories come out in file order. */
  private readonly order: number[] = [];

  constructor(private readonly limit: number) {}

  /** Counts field `i` of the record; returns its slot, NOT_INTERNED or TOO_MANY. */
  count(record: CsvRecord, i: number): number {
    const start = record.starts[i]!;
    const end = record.ends[i]!;
    if (end - start > MAX_FIELD_BYTES || record.kinds[i] === ESCAPED) return NOT_INTERNED;
    const bytes = record.bytes;
    let hash = 0x811c9dc5 | 0;
    for (let j = start; j < end; j += 1) hash = Math.imul(hash ^ bytes[j]!, 0x01000193);
    const length = end - start;
    for (let slot = hash & (SLOTS - 1); ; slot = (slot + 1) & (SLOTS - 1)) {
      const keyLength = this.lengths[slot]!;
      if (keyLength === -1) {
        if (this.order.length >= this.limit || this.order.length >= SLOTS / 2) return TOO_MANY;
        this.arena.set(bytes.subarray(start, end), this.used);
        this.offsets[slot] = this.used;
        this.lengths[slot] = length;
        this.used += length;
        this.hashes[slot] = hash;
        this.texts[slot] = textOf(record, i);
        this.counts[slot] = 1;
        this.order.push(slot);
        return slot;
      }
      if (this.hashes[slot] === hash && keyLength === length && this.sameBytes(this.offsets[slot]!, bytes, start, length)) {
        this.counts[slot]! += 1;
        return slot;
      }
    }
  }

  /** The text of the value in `slot`, decoded once. */
  text(slot: number): string {
    return this.texts[slot]!;
  }

  private sameBytes(offset: number, bytes: Uint8Array, start: number, length: number): boolean {
    const arena = this.arena;
    for (let j = 0; j < length; j += 1) if (arena[offset + j] !== bytes[start + j]) return false;
    return true;
  }

  /** Every value counted, with its count, in first-seen order. */
  *entries(): Generator<[string, number]> {
    for (const slot of this.order) yield [this.texts[slot]!, this.counts[slot]!];
  }
}

