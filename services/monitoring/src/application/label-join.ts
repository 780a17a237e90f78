import type { LabelTarget } from '@mgov/monitoring-domain';
import { type Column, RingJournal } from './ring-journal';

/** A prediction id as two independent 32-bit hashes of its UTF-8 bytes (a false match needs both to collide: ~2^-64). */
export interface IdKey {
  a: number;
  b: number;
}

/** Hashes `bytes[start, end)` into `into` (reused by the caller: nothing is allocated per message). */
export function idKeyOfBytes(bytes: Uint8Array, start: number, end: number, into: IdKey): IdKey {
  let a = 0x811c9dc5;
  let b = 0x9747b28c;
  for (let i = start; i < end; i += 1) {
    const byte = bytes[i]!;
    a = Math.imul(a ^ byte, 0x01000193);
    b = Math.imul(b ^ byte, 0x5bd1e995);
    b ^= b >>> 15;
  }
  into.a = a;
  into.b = b;
  return into;
}

export function idKeyOf(id: string, into: IdKey): IdKey {
  const bytes = Buffer.from(id, 'utf8');
  return idKeyOfBytes(bytes, 0, bytes.length, into);
}

/** What a waiting prediction's label is counted with, once its outcome arrives. */
export interface AwaitingLabel extends LabelTarget {
  readonly modelName: string;
  readonly modelVersion: number;
  readonly eventTime: number;
}

/** A prediction waiting for its label: what `LabelJoin.prediction` is given. */
export interface Waiting extends LabelTarget {
  /** From `LabelJoin.modelIndex`. */
  readonly model: number;
  readonly eventTime: number;
}

/**
 * The ids of the last `capacity` entries, in insertion order, in typed arrays: a slot per entry,
 * reused round the ring, and a hash table of buckets by the first hash, each the newest slot in
 * it with older ones chained. Nothing is allocated per entry, so a full join costs the garbage
 * collector nothing and its memory is fixed at start.
 */
class IdRing {
  readonly a: Int32Array;
  readonly b: Int32Array;
  readonly eventTime: Float64Array;
  readonly live: Uint8Array;
  private readonly next: Int32Array;
  /** Newest slot per bucket of the first hash (-1: none); buckets are a power of two, at least twice the slots. */
  private readonly heads: Int32Array;
  /**
   * A bit per bucket: set when it has a slot. A lookup of an id that is not there (most of them:
   * every prediction looks for an outcome that came first) reads this, 1/32 the size of `heads`,
   * and mostly stays in the CPU's caches where `heads` did not (measured: the lookup was ~5% of
   * the service's main thread in bench:monitoring, most of it waiting for `heads`).
   */
  private readonly occupied: Int32Array;
  private readonly mask: number;
  private head = 0;
  private used = 0;
  size = 0;
  /** What each batch not stored yet did, oldest first; the newest records (`journal`). */
  private readonly levels: RingJournal[] = [];
  private readonly spare: RingJournal[] = [];
  private readonly idle: RingJournal;
  private journal: RingJournal;
  private readonly columns: readonly Column[];

  /** `payload`: the owner's columns by slot, put back with the ids when a batch is undone. */
  constructor(readonly capacity: number, payload: readonly Column[]) {
    this.a = new Int32Array(capacity);
    this.b = new Int32Array(capacity);
    this.eventTime = new Float64Array(capacity);
    this.live = new Uint8Array(capacity);
    this.next = new Int32Array(capacity).fill(-1);
    const buckets = 2 ** Math.ceil(Math.log2(Math.max(2, capacity * 2)));
    this.heads = new Int32Array(buckets).fill(-1);
    this.occupied = new Int32Array((buckets + 31) >>> 5);
    this.mask = buckets - 1;
    this.columns = [this.a, this.b, this.eventTime, ...payload];
    this.idle = this.journal = new RingJournal(this.columns, capacity);
  }

  find(key: IdKey): number {
    const bucket = key.a & this.mask;
    if ((this.occupied[bucket >>> 5]! & (1 << (bucket & 31))) === 0) return -1;
    for (let slot = this.heads[bucket]!; slot !== -1; slot = this.next[slot]!) {
      if (this.a[slot] === key.a && this.b[slot] === key.b && this.live[slot] === 1) return slot;
    }
    return -1;
  }

  /**
   * Takes a slot for `key`; when full, the oldest entry makes room (`onEvict` if it was still
   * waiting). The caller writes the entry's `eventTime` into the slot (see `horizonStart`).
   */
  add(key: IdKey, onEvict: () => void): number {
    if (this.used === this.capacity) this.dropOldest(onEvict);
    const slot = (this.head + this.used) % this.capacity;
    const journal = this.journal;
    if (journal.active) {
      journal.added += 1;
      // Past the free slots, the slot of an entry from before the batch (dropped just now) is reused: keep what it held.
      const reused = journal.used + journal.added - 1 - this.capacity;
      // Checked here, not only in `keep`: the call alone, made per entry, allocated ~40 bytes each
      // (a third of what the service allocated in bench:monitoring); a copy is due once per chunk.
      if (reused >= 0 && reused >= journal.savedCount) journal.keep(reused);
    }
    this.used += 1;
    this.a[slot] = key.a;
    this.b[slot] = key.b;
    this.live[slot] = 1;
    const bucket = key.a & this.mask;
    this.next[slot] = this.heads[bucket]!;
    this.setHead(bucket, slot);
    this.size += 1;
    return slot;
  }

  remove(slot: number): void {
    if (this.live[slot] !== 1) return;
    this.live[slot] = 0;
    this.size -= 1;
    // An entry the batch added goes with the batch's adds when undone; one from before comes back.
    const journal = this.journal;
    if (journal.active && (slot - journal.head - journal.used + 2 * this.capacity) % this.capacity >= journal.added) journal.removed(slot);
  }

  /**
   * Starts a batch: until it is committed, `rollback` brings the ring back to exactly this point.
   * Batches overlap (one is stored while the next is counted): each begins a level of its own.
   */
  begin(): void {
    const journal = this.spare.pop() ?? new RingJournal(this.columns, this.capacity);
    journal.begin(this.head, this.used, this.size);
    this.levels.push(journal);
    this.journal = journal;
  }

  /** The oldest batch begun is stored: nothing of it is undone any more. */
  commit(): void {
    const oldest = this.levels.shift();
    if (oldest === undefined) return;
    oldest.active = false;
    this.spare.push(oldest);
    this.journal = this.levels[this.levels.length - 1] ?? this.idle;
  }

  /**
   * Undoes every batch not committed, newest first: its entries leave (newest first, each its
   * bucket's newest then, and a reused slot gets back what it held), the entries it dropped from
   * the front come back (the oldest of their buckets), and those it removed wait again. False, and
   * the batches from that one on left as they are, only when a batch added more than the ring
   * holds (it dropped entries of its own).
   */
  rollback(): boolean {
    let undone = true;
    while (this.levels.length > 0) {
      const journal = this.levels.pop()!;
      undone &&= this.undo(journal);
      journal.active = false;
      this.spare.push(journal);
    }
    this.journal = this.idle;
    return undone;
  }

  private undo(journal: RingJournal): boolean {
    if (journal.dropped > journal.used) return false;
    for (let k = journal.added - 1; k >= 0; k -= 1) {
      const slot = (this.head + this.used - 1) % this.capacity;
      this.setHead(this.a[slot]! & this.mask, this.next[slot]!);
      this.next[slot] = -1;
      if (this.live[slot] === 1) this.size -= 1;
      this.live[slot] = 0;
      this.used -= 1;
      const reused = journal.used + k - this.capacity;
      if (reused >= 0) journal.restore(reused, slot);
    }
    for (let k = journal.dropped - 1; k >= 0; k -= 1) {
      this.head = (this.head - 1 + this.capacity) % this.capacity;
      this.used += 1;
      this.linkAsOldest(this.head);
      if (journal.wasLive(k)) {
        this.live[this.head] = 1;
        this.size += 1;
      }
    }
    for (let i = journal.removedCount - 1; i >= 0; i -= 1) {
      const slot = journal.removedAt(i);
      if (this.live[slot] === 1) continue;
      this.live[slot] = 1;
      this.size += 1;
    }
    return true;
  }

  /** Links `slot` at the end of its bucket's chain (chains run newest to oldest). */
  private linkAsOldest(slot: number): void {
    const bucket = this.a[slot]! & this.mask;
    this.next[slot] = -1;
    let at = this.heads[bucket]!;
    if (at === -1) {
      this.setHead(bucket, slot);
      return;
    }
    while (this.next[at] !== -1) at = this.next[at]!;
    this.next[at] = slot;
  }

  /**
   * Event times before this are past the horizon. A field, not an argument: event times are not
   * small integers, and a double passed to a call is a heap number made per call (measured: the
   * label join was 16% of what the service allocated in bench:monitoring); a double field is
   * updated in place.
   */
  horizonStart = Number.NEGATIVE_INFINITY;

  /** Drops entries older than `horizonStart` from the front (insertion order is close to event-time order). */
  expire(onEvict: () => void): void {
    const before = this.horizonStart;
    while (this.used > 0 && (this.live[this.head] === 0 || this.eventTime[this.head]! < before)) this.dropOldest(onEvict);
  }

  private dropOldest(onEvict: () => void): void {
    const live = this.live[this.head] === 1;
    if (this.journal.active) this.journal.drop(live);
    if (live) {
      this.live[this.head] = 0;
      this.size -= 1;
      onEvict();
    }
    this.unlink(this.head);
    this.head = (this.head + 1) % this.capacity;
    this.used -= 1;
  }

  /** Live slots, oldest first. */
  *liveSlots(): Generator<number> {
    for (let i = 0; i < this.used; i += 1) {
      const slot = (this.head + i) % this.capacity;
      if (this.live[slot] === 1) yield slot;
    }
  }

  /** The bucket's newest slot is now `slot` (-1: none). */
  private setHead(bucket: number, slot: number): void {
    this.heads[bucket] = slot;
    const bit = 1 << (bucket & 31);
    if (slot === -1) this.occupied[bucket >>> 5] &= ~bit;
    else this.occupied[bucket >>> 5] |= bit;
  }

  private unlink(slot: number): void {
    const bucket = this.a[slot]! & this.mask;
    let at = this.heads[bucket]!;
    if (at === slot) this.setHead(bucket, this.next[slot]!);
    else {
      while (at !== -1 && this.next[at] !== slot) at = this.next[at]!;
      if (at !== -1) this.next[at] = this.next[slot]!;
    }
    this.next[slot] = -1;
  }
}

/** Strings (classes) or records (protected groups) by a small index, at most `capacity` of them. */
class Interned<T> {
  readonly values: T[] = [];
  private readonly index = new Map<unknown, number>();
  /** Values seen before, by reference: the reader hands out one frozen record per distinct encoding. */
  private readonly known = new Map<T, number>();

  constructor(private readonly capacity: number, private readonly keyOf: (value: T) => unknown = (value) => value) {}

  of(value: T, fallback: number): number {
    const seen = this.known.get(value);
    if (seen !== undefined) return seen;
    const index = this.byKey(value, fallback);
    if (index !== fallback && this.known.size < this.capacity) this.known.set(value, index);
    return index;
  }

  private byKey(value: T, fallback: number): number {
    const key = this.keyOf(value);
    let index = this.index.get(key);
    if (index === undefined) {
      if (this.values.length >= this.capacity) return fallback;
      index = this.values.push(value) - 1;
      this.index.set(key, index);
    }
    return index;
  }
}

const NONE = -1;
/** Distinct predicted classes and truths kept apart (the window counts at most MAX_CLASSES anyway). */
const MAX_INTERNED_CLASSES = 4096;
const MAX_INTERNED_GROUPS = 4096;

/**
 * Joins outcomes to their predictions by prediction id within a horizon of event time, in fixed
 * memory: the last `capacity` predictions without a label wait for one (and as many outcomes for
 * a prediction not seen yet); older ones, or ones past the horizon, are dropped and counted as
 * expired. Ids are kept as hashes, the rest as small integers in typed arrays.
 */
export class LabelJoin {
  private readonly awaiting: IdRing;
  private readonly predicted: Int32Array;
  private readonly score: Float64Array;
  private readonly groups: Int32Array;
  private readonly model: Int32Array;
  private readonly early: IdRing;
  private readonly truth: Int32Array;
  private readonly classes = new Interned<string>(MAX_INTERNED_CLASSES);
  private readonly groupRecords = new Interned<Readonly<Record<string, string>>>(MAX_INTERNED_GROUPS, groupKey);
  private readonly models: Array<{ readonly modelName: string; readonly modelVersion: number }> = [];
  private readonly modelIndexes = new Map<string, number>();
  private readonly countExpired = () => (this.expired += 1);
  expired = 0;
  /** `expired` as each batch not committed began, oldest first. */
  private readonly expiredAtBegin: number[] = [];

  constructor(private readonly horizonMs: number, capacity: number) {
    this.predicted = new Int32Array(capacity);
    this.score = new Float64Array(capacity);
    this.groups = new Int32Array(capacity);
    this.model = new Int32Array(capacity);
    this.awaiting = new IdRing(capacity, [this.predicted, this.score, this.groups, this.model]);
    this.truth = new Int32Array(capacity);
    this.early = new IdRing(capacity, [this.truth]);
  }

  get size(): number {
    return this.awaiting.size + this.early.size;
  }

  /**
   * A batch starts; until it is committed, `rollback` undoes what it does to the join. A batch whose
   * transaction fails is delivered again, and the join must then be as it was before it: else its
   * predictions would wait twice, and the outcomes it joined would find nothing the second time.
   * Batches may overlap (the next is counted while one is stored): they are committed oldest first.
   */
  begin(): void {
    this.awaiting.begin();
    this.early.begin();
    this.expiredAtBegin.push(this.expired);
  }

  /** The oldest batch not committed is stored. */
  commit(): void {
    this.awaiting.commit();
    this.early.commit();
    this.expiredAtBegin.shift();
  }

  /** The join exactly as at the oldest `begin` not committed; false (and the join left as it is) if a batch alone overflowed it. */
  rollback(): boolean {
    const awaiting = this.awaiting.rollback();
    const early = this.early.rollback();
    const expired = this.expiredAtBegin.splice(0)[0];
    if (awaiting && early && expired !== undefined) this.expired = expired;
    return awaiting && early;
  }

  /** A model version's index for `prediction` (look it up once, not per prediction). */
  modelIndex(modelName: string, modelVersion: number): number {
    const key = `${modelName}\u0000${modelVersion}`;
    let index = this.modelIndexes.get(key);
    if (index === undefined) this.modelIndexes.set(key, (index = this.models.push({ modelName, modelVersion }) - 1));
    return index;
  }

  /** A prediction without a label; returns the label if its outcome came first. */
  prediction(key: IdKey, waiting: Waiting): string | null {
    // Most predictions come before their outcome: without early outcomes there is nothing to look up.
    const came = this.early.size === 0 ? -1 : this.early.find(key);
    if (came !== -1) {
      this.early.remove(came);
      return this.classes.values[this.truth[came]!] ?? null;
    }
    const awaiting = this.awaiting;
    awaiting.horizonStart = waiting.eventTime - this.horizonMs;
    awaiting.expire(this.countExpired);
    const slot = awaiting.add(key, this.countExpired);
    awaiting.eventTime[slot] = waiting.eventTime;
    this.predicted[slot] = waiting.predictedClass === null ? NONE : this.classes.of(waiting.predictedClass, NONE);
    this.score[slot] = waiting.score ?? Number.NaN;
    this.groups[slot] = this.groupRecords.of(waiting.protectedAttributes, NONE);
    this.model[slot] = waiting.model;
    return null;
  }

  /** The predictions waiting for a label, oldest first (for saving the join). */
  *waitingPredictions(): Generator<{ readonly key: IdKey; readonly label: AwaitingLabel }> {
    for (const slot of this.awaiting.liveSlots()) {
      const label = this.labelAt(slot);
      if (label !== null) yield { key: { a: this.awaiting.a[slot]!, b: this.awaiting.b[slot]! }, label };
    }
  }

  /** The outcomes waiting for their prediction, oldest first. */
  *waitingOutcomes(): Generator<{ readonly key: IdKey; readonly truth: string; readonly eventTime: number }> {
    for (const slot of this.early.liveSlots()) {
      yield { key: { a: this.early.a[slot]!, b: this.early.b[slot]! }, truth: this.classes.values[this.truth[slot]!]!, eventTime: this.early.eventTime[slot]! };
    }
  }

  private labelAt(slot: number): AwaitingLabel | null {
    const model = this.models[this.model[slot]!];
    if (model === undefined) return null;
    const score = this.score[slot]!;
    return {
      modelName: model.modelName, modelVersion: model.modelVersion, eventTime: this.awaiting.eventTime[slot]!,
      predictedClass: this.classes.values[this.predicted[slot]!] ?? null,
      score: Number.isNaN(score) ? null : score,
      protectedAttributes: this.groupRecords.values[this.groups[slot]!] ?? {},
    };
  }

  /** An outcome; returns its prediction if it is waiting. */
  outcome(key: IdKey, truth: string, eventTime: number): AwaitingLabel | null {
    const slot = this.awaiting.find(key);
    if (slot !== -1) {
      this.awaiting.remove(slot);
      return this.labelAt(slot);
    }
    const truthIndex = this.classes.of(truth, NONE);
    // A truth past the interning cap cannot wait: it would come back as no label.
    if (truthIndex === NONE) return null;
    this.early.horizonStart = eventTime - this.horizonMs;
    this.early.expire(this.countExpired);
    const early = this.early.add(key, this.countExpired);
    this.early.eventTime[early] = eventTime;
    this.truth[early] = truthIndex;
    return null;
  }
}

function groupKey(groups: Readonly<Record<string, string>>): string {
  return Object.entries(groups).map(([attribute, group]) => `${attribute}\u0000${group}`).sort().join('\u0001');
}
