/** A ring's column: one value per slot. */
export type Column = Int32Array | Float64Array;

/** Original entries kept per copy, before the batch reuses the first of them. */
const CHUNK = 1024;

/**
 * What a batch did to a ring of slots (the label join's `IdRing`), so that it can be undone:
 * where the ring stood, how many entries it added and dropped, which of its older entries it
 * removed, and a copy of the older entries whose slots it reused. The copy is taken a chunk at a
 * time, just before the first slot of the chunk is reused: a full ring reuses a slot per entry
 * added, and a copy per entry cost ~10% of counting. Its stores are kept from batch to batch.
 */
export class RingJournal {
  active = false;
  head = 0;
  used = 0;
  size = 0;
  added = 0;
  dropped = 0;
  removedCount = 0;
  private removedSlots = new Int32Array(256);
  /** Per entry dropped from the front (in order): 1 if it was still waiting. */
  private droppedLive = new Uint8Array(256);
  /** Copies of the columns by original index (0: the ring's oldest entry at `begin`). */
  private saved: Column[];
  /** Original entries copied so far (the first `savedCount`): `keep` has nothing to do below it. */
  savedCount = 0;

  constructor(private readonly columns: readonly Column[], private readonly capacity: number) {
    this.saved = columns.map((column) => resized(column, CHUNK, 0));
  }

  begin(head: number, used: number, size: number): void {
    this.active = true;
    this.head = head;
    this.used = used;
    this.size = size;
    this.added = 0;
    this.dropped = 0;
    this.removedCount = 0;
    this.savedCount = 0;
  }

  /** An entry from before the batch was removed (at `slot`). */
  removed(slot: number): void {
    if (this.removedCount === this.removedSlots.length) this.removedSlots = resized(this.removedSlots, this.removedSlots.length * 2);
    this.removedSlots[this.removedCount] = slot;
    this.removedCount += 1;
  }

  removedAt(i: number): number {
    return this.removedSlots[i]!;
  }

  /** The oldest entry was dropped, waiting or not. */
  drop(wasLive: boolean): void {
    if (this.dropped === this.droppedLive.length) this.droppedLive = resized(this.droppedLive, this.droppedLive.length * 2);
    this.droppedLive[this.dropped] = wasLive ? 1 : 0;
    this.dropped += 1;
  }

  wasLive(dropped: number): boolean {
    return this.droppedLive[dropped] === 1;
  }

  /** The entry at original index `r` is about to be overwritten: keep it, and the rest of its chunk. */
  keep(r: number): void {
    if (r < this.savedCount) return;
    const end = Math.min(this.used, this.savedCount + CHUNK);
    if (end > this.saved[0]!.length) this.saved = this.saved.map((column) => resized(column, Math.min(this.capacity, column.length * 2)));
    for (let c = 0; c < this.columns.length; c += 1) {
      const from = this.columns[c]!;
      const into = this.saved[c]!;
      // Original index i is in slot (head + i) % capacity: one or two runs of slots.
      for (let i = this.savedCount; i < end;) {
        const slot = (this.head + i) % this.capacity;
        const run = Math.min(end - i, this.capacity - slot);
        into.set(from.subarray(slot, slot + run), i);
        i += run;
      }
    }
    this.savedCount = end;
  }

  /** Puts back the entry of original index `r` into `slot`. */
  restore(r: number, slot: number): void {
    for (let c = 0; c < this.columns.length; c += 1) this.columns[c]![slot] = this.saved[c]![r]!;
  }
}

/** A typed array of the same kind and `length`, holding the first `keep` values of `array`. */
function resized<T extends Column | Uint8Array>(array: T, length: number, keep = array.length): T {
  const copy = new (array.constructor as new (length: number) => T)(length);
  copy.set(array.subarray(0, Math.min(keep, length)));
  return copy;
}
