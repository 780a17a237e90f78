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
  /** Bytes of the whole map (its blocks and their terminator). */
  private length = -1;
  /** Pairs: offset in the map, the int32 (little-endian) expected there. */
  private words = new Int32Array(64);
  private wordCount = 0;
  /** Pairs: offset, the byte expected there (gaps between holes shorter than four bytes). */
  private single = new Int32Array(16);
  private singleCount = 0;
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
    if (length < 0 || at + length > end) return -1;
    const base = viewOffset + at;
    const words = this.words;
    for (let i = 0; i < this.wordCount; i += 2) if (view.getInt32(base + words[i]!, true) !== words[i + 1]) return -1;
    const single = this.single;
    for (let i = 0; i < this.singleCount; i += 2) if (bytes[at + single[i]!] !== single[i + 1]) return -1;
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
    this.wordCount = 0;
    this.singleCount = 0;
    this.valueCount = 0;
    let gapStart = 0;
    for (let i = 0; i < this.learnedCount; i += 2) {
      const offset = this.learning[i]!;
      const index = this.learning[i + 1]!;
      if (index >= 0) this.value(offset, index);
      if (offset < 0) continue;
      // A hole, whether or not the layout has the feature: its double may differ in the next message.
      this.gap(bytes, at, gapStart, offset);
      gapStart = offset + 8;
    }
    this.gap(bytes, at, gapStart, length);
    this.length = length;
  }

  /** Expects `bytes[at + from, at + to)` as they are: in four-byte words (the last may overlap the one before), or byte by byte if shorter. */
  private gap(bytes: Uint8Array, at: number, from: number, to: number): void {
    if (to - from < 4) {
      for (let offset = from; offset < to; offset += 1) this.expectByte(offset, bytes[at + offset]!);
      return;
    }
    for (let offset = from; ; offset += 4) {
      const word = Math.min(offset, to - 4);
      this.expectWord(word, bytes[at + word]! | (bytes[at + word + 1]! << 8) | (bytes[at + word + 2]! << 16) | (bytes[at + word + 3]! << 24));
      if (word === to - 4) return;
    }
  }

  private expectWord(offset: number, word: number): void {
    if (this.wordCount + 2 > this.words.length) this.words = grown(this.words);
    this.words[this.wordCount] = offset;
    this.words[this.wordCount + 1] = word;
    this.wordCount += 2;
  }

  private expectByte(offset: number, byte: number): void {
    if (this.singleCount + 2 > this.single.length) this.single = grown(this.single);
    this.single[this.singleCount] = offset;
    this.single[this.singleCount + 1] = byte;
    this.singleCount += 2;
  }

  private value(offset: number, index: number): void {
    if (this.valueCount + 2 > this.values.length) this.values = grown(this.values);
    this.values[this.valueCount] = offset;
    this.values[this.valueCount + 1] = index;
    this.valueCount += 2;
  }
}

function grown(array: Int32Array<ArrayBuffer>): Int32Array<ArrayBuffer> {
  const bigger = new Int32Array(array.length * 2);
  bigger.set(array);
  return bigger;
}
