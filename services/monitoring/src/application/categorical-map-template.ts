import { ByteChecks, grown } from './byte-checks';

/** Maps with more entries than this are not kept as templates. */
const MAX_ENTRIES = 256;
/** Ints per entry in `entryTable`: the prefix's length, the layout index, whether a value follows, the end of its word checks, of its byte checks. */
const STRIDE = 5;

/**
 * The keys of a prediction's categorical-feature map as last read the long way. The next message
 * of the same client has the same keys in the same order, with other values: per entry, the bytes
 * before its value (the key's length, the key, the union branch) are compared, four at a time,
 * where the long way reads a varint, matches the key and reads another varint. The values are
 * still read one by one (their lengths differ), as the long way reads them. Only a map written as
 * one block is kept (as avsc writes them): identical bytes parse identically, so a match gives what
 * the long way gives.
 */
export class CategoricalMapTemplate {
  /** Entries of the block; -1: no template yet. */
  entries = -1;
  /** The block's count as its one byte. */
  countByte = 0;
  private readonly checks = new ByteChecks();
  private entryTable = new Int32Array(STRIDE * 8);
  /** The long way's record of the map being read: per entry its start and its prefix's end (offsets in the map), layout index and whether a value follows. */
  private learning = new Int32Array(4 * 8);
  private learnedCount = 0;

  /**
   * The offset after entry `e`'s prefix if the message has it at `at` (its value, if any, follows),
   * or -1. `view` is over the whole memory of `bytes`, `viewOffset` where `bytes` starts in it.
   */
  prefixEnd(view: DataView, viewOffset: number, bytes: Uint8Array, at: number, end: number, e: number): number {
    const table = this.entryTable;
    const row = e * STRIDE;
    const after = at + table[row]!;
    if (after > end) return -1;
    const wordFrom = e === 0 ? 0 : table[row - STRIDE + 3]!;
    const singleFrom = e === 0 ? 0 : table[row - STRIDE + 4]!;
    return this.checks.match(view, viewOffset, bytes, at, wordFrom, table[row + 3]!, singleFrom, table[row + 4]!) ? after : -1;
  }

  /** Entry `e`'s feature in the layout (-1: the layout does not have it). */
  indexOf(e: number): number {
    return this.entryTable[e * STRIDE + 1]!;
  }

  /** Whether entry `e` has a value (else it is null). */
  hasValue(e: number): boolean {
    return this.entryTable[e * STRIDE + 2] === 1;
  }

  /** The long way starts reading a map. */
  startLearning(): void {
    this.learnedCount = 0;
  }

  /** The long way read an entry: where it starts and where its prefix ends (offsets from the map's start), its layout index, whether a value follows. */
  learned(start: number, prefixEnd: number, index: number, hasValue: boolean): void {
    if (this.learnedCount + 4 > this.learning.length) this.learning = grown(this.learning);
    const learning = this.learning;
    const at = this.learnedCount;
    learning[at] = start;
    learning[at + 1] = prefixEnd;
    learning[at + 2] = index;
    learning[at + 3] = hasValue ? 1 : 0;
    this.learnedCount = at + 4;
  }

  /** The long way read the whole map, `bytes[at, end)`, in `blocks` blocks, without error: it is the template from now on, if it can be one. */
  learnedMap(bytes: Uint8Array, at: number, end: number, blocks: number): void {
    this.entries = -1;
    const entries = this.learnedCount / 4;
    // One block, its count in one byte, then the terminator alone.
    if (blocks !== 1 || entries > MAX_ENTRIES || bytes[at]! >= 0x80 || bytes[end - 1] !== 0) return;
    if (entries * STRIDE > this.entryTable.length) this.entryTable = new Int32Array(entries * STRIDE * 2);
    const checks = this.checks;
    checks.clear();
    for (let e = 0; e < entries; e += 1) {
      const start = this.learning[e * 4]!;
      const prefixEnd = this.learning[e * 4 + 1]!;
      checks.expect(bytes, at, start, prefixEnd, start);
      const row = e * STRIDE;
      this.entryTable[row] = prefixEnd - start;
      this.entryTable[row + 1] = this.learning[e * 4 + 2]!;
      this.entryTable[row + 2] = this.learning[e * 4 + 3]!;
      this.entryTable[row + 3] = checks.wordCount;
      this.entryTable[row + 4] = checks.singleCount;
    }
    this.countByte = bytes[at]!;
    this.entries = entries;
  }
}
