/**
 * Bytes a message is expected to have at given offsets, checked four at a time: what a map
 * template compares before it trusts a message to have the bytes of the last one (see
 * `NumericMapTemplate`, `CategoricalMapTemplate`). Checks are kept in the order they were added;
 * a template checks them all at once or entry by entry (`wordCount`, `singleCount` after each).
 */
export class ByteChecks {
  /** Pairs: offset, the int32 (little-endian) expected there. */
  private words = new Int32Array(64);
  wordCount = 0;
  /** Pairs: offset, the byte expected there (runs shorter than four bytes). */
  private singles = new Int32Array(16);
  singleCount = 0;

  clear(): void {
    this.wordCount = 0;
    this.singleCount = 0;
  }

  /**
   * Expects `bytes[at + from, at + to)` as they are, at offsets `from - origin` on: in four-byte
   * words (the last may overlap the one before), or byte by byte if there are fewer than four.
   */
  expect(bytes: Uint8Array, at: number, from: number, to: number, origin = 0): void {
    if (to - from < 4) {
      for (let offset = from; offset < to; offset += 1) this.single(offset - origin, bytes[at + offset]!);
      return;
    }
    for (let offset = from; ; offset += 4) {
      const word = Math.min(offset, to - 4);
      this.word(word - origin, bytes[at + word]! | (bytes[at + word + 1]! << 8) | (bytes[at + word + 2]! << 16) | (bytes[at + word + 3]! << 24));
      if (word === to - 4) return;
    }
  }

  /**
   * True when the message has the expected bytes of checks `[wordFrom, wordTo)` and
   * `[singleFrom, singleTo)` (in pairs, as counted by `wordCount` and `singleCount`), offsets
   * from `at`. `view` is over the whole memory of `bytes`, which starts at `viewOffset` in it;
   * the caller knows the offsets are within the message.
   */
  match(view: DataView, viewOffset: number, bytes: Uint8Array, at: number, wordFrom: number, wordTo: number, singleFrom: number, singleTo: number): boolean {
    const words = this.words;
    const base = viewOffset + at;
    for (let i = wordFrom; i < wordTo; i += 2) if (view.getInt32(base + words[i]!, true) !== words[i + 1]) return false;
    const singles = this.singles;
    for (let i = singleFrom; i < singleTo; i += 2) if (bytes[at + singles[i]!] !== singles[i + 1]) return false;
    return true;
  }

  private word(offset: number, word: number): void {
    if (this.wordCount + 2 > this.words.length) this.words = grown(this.words);
    this.words[this.wordCount] = offset;
    this.words[this.wordCount + 1] = word;
    this.wordCount += 2;
  }

  private single(offset: number, byte: number): void {
    if (this.singleCount + 2 > this.singles.length) this.singles = grown(this.singles);
    this.singles[this.singleCount] = offset;
    this.singles[this.singleCount + 1] = byte;
    this.singleCount += 2;
  }
}

/** An Int32Array twice as long, with the same values first. */
export function grown(array: Int32Array<ArrayBuffer>): Int32Array<ArrayBuffer> {
  const bigger = new Int32Array(array.length * 2);
  bigger.set(array);
  return bigger;
}
