import { ByteChecks, grown } from './byte-checks';

/** Maps longer than this are not kept as templates (a template is remade whenever a message differs). */
const MAX_TEMPLATE_BYTES = 8192;

/**
 * The bytes of a prediction's numeric-feature map as last read the long way, with holes where its
 * doubles are. An inference service writes the same keys in the same order in every message, so
 * the next message's map is usually the same bytes with other doubles in the holes: comparing
 * everything but the holes (four bytes at a time) and then reading the doubles replaces a varint,
 * a key match and a union branch per feature (the largest part of reading a prediction in
 * bench:monitoring). Identical bytes parse identically, so a match gives exactly what the long
 * way gives, values written in the same order; anything else is read the long way and becomes the
 * template.
 */
export class NumericMapTemplate {
  /** Bytes of the whole map (its blocks and their terminator); -1: no template yet. */
  private length = -1;
  /** Every byte of the map but its doubles. */
  private readonly checks = new ByteChecks();
  /** Pairs, in map order: the double's offset (-1: the entry is null), its feature's layout index. */
  private values = new Int32Array(64);
  private valueCount = 0;
  /** The long way's record of the map being read: pairs as in `values`. */
  private learning = new Int32Array(64);
  private learnedCount = 0;

  /**
   * Reads the map at `at` into `numeric` if it matches, and returns its length in bytes; else
   * returns -1, having written nothing. `view` is over the whole memory of `bytes`, `viewOffset`
   * where `bytes` starts in it.
   */
  readIfSame(view: DataView, viewOffset: number, bytes: Uint8Array, at: number, end: number, numeric: Float64Array): number {
    const length = this.length;
    const checks = this.checks;
    if (length < 0 || at + length > end || !checks.match(view, viewOffset, bytes, at, 0, checks.wordCount, 0, checks.singleCount)) return -1;
    const base = viewOffset + at;
    const values = this.values;
    for (let i = 0; i < this.valueCount; i += 2) {
      const offset = values[i]!;
      const value = offset < 0 ? Number.NaN : view.getFloat64(base + offset, true);
      numeric[values[i + 1]!] = Number.isFinite(value) ? value : Number.NaN;
    }
    return length;
  }

  /** The long way starts reading a map. */
  startLearning(): void {
    this.learnedCount = 0;
  }

  /** The long way read an entry: its double at `offset` from the map's start, or null (-1); its feature's layout index (-1: none). */
  learned(offset: number, index: number): void {
    if (this.learnedCount + 2 > this.learning.length) this.learning = grown(this.learning);
    this.learning[this.learnedCount] = offset;
    this.learning[this.learnedCount + 1] = index;
    this.learnedCount += 2;
  }

  /** The long way read the whole map, `bytes[at, end)`, without error: it is the template from now on. */
  learnedMap(bytes: Uint8Array, at: number, end: number): void {
    const length = end - at;
    this.length = -1;
    if (length > MAX_TEMPLATE_BYTES) return;
    this.checks.clear();
    this.valueCount = 0;
    let gapStart = 0;
    for (let i = 0; i < this.learnedCount; i += 2) {
      const offset = this.learning[i]!;
      const index = this.learning[i + 1]!;
      if (index >= 0) this.value(offset, index);
      if (offset < 0) continue;
      // A hole, whether or not the layout has the feature: its double may differ in the next message.
      this.checks.expect(bytes, at, gapStart, offset);
      gapStart = offset + 8;
    }
    this.checks.expect(bytes, at, gapStart, length);
    this.length = length;
  }

  private value(offset: number, index: number): void {
    if (this.valueCount + 2 > this.values.length) this.values = grown(this.values);
    this.values[this.valueCount] = offset;
    this.values[this.valueCount + 1] = index;
    this.valueCount += 2;
  }
}
