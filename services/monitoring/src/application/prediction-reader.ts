import { emptyObservation, MISSING as MISSING_CATEGORY, type Observation, UNSEEN as UNSEEN_CATEGORY, type WindowLayout } from '@mgov/monitoring-domain';
import { CategoricalMapTemplate } from './categorical-map-template';
import { NumericMapTemplate } from './numeric-map-template';

// Read once. Compiled to CommonJS, every use of an import is a property of the module it comes
// from, and through the domain's index that property is a getter calling another getter: in the
// per-feature loops below they were 1.7% of the service's main thread in bench:monitoring.
const MISSING = MISSING_CATEGORY;
const UNSEEN = UNSEEN_CATEGORY;

const MAGIC_0 = 0xc3;
const MAGIC_1 = 0x01;
const HEADER = 10;
/** Distinct protected-attribute encodings, and distinct short strings, kept decoded; past this they are decoded per message. */
const MAX_INTERNED = 10_000;

/** A message monitoring cannot count, with the stable code its dead letter carries. */
export class Undecodable extends Error {
  constructor(readonly code: string, message: string) {
    super(message);
  }
}

/**
 * Where a prediction's identifying fields are; the features follow at `featuresAt`, and the
 * message ends at `end` (positions in the bytes the message was read from).
 */
export interface PredictionHeader {
  readonly modelName: string;
  readonly modelVersion: number;
  readonly eventTime: number;
  readonly featuresAt: number;
  readonly end: number;
  readonly idStart: number;
  readonly idEnd: number;
}

/** Where an outcome's prediction id is, and what it says. */
export interface OutcomeFields {
  readonly idStart: number;
  readonly idEnd: number;
  readonly groundTruth: string;
  readonly eventTime: number;
}

/** Single-object encoding: the magic, then the writer schema's fingerprint. */
function framedAs(bytes: Buffer, start: number, end: number, fingerprint: Buffer): boolean {
  if (end - start < HEADER || bytes[start] !== MAGIC_0 || bytes[start + 1] !== MAGIC_1) return false;
  for (let i = 0; i < 8; i += 1) if (bytes[start + 2 + i] !== fingerprint[i]) return false;
  return true;
}

/** One family of features (numeric or categorical): names as bytes, and the index each map position had last. */
interface FeatureNames {
  readonly names: readonly Buffer[];
  readonly index: ReadonlyMap<string, number>;
  /** Map position → layout index last found there (-1: none yet). */
  readonly order: Int32Array;
}

/** A layout's feature names as bytes, matched against map keys without decoding them. */
export interface LayoutKeys {
  readonly numeric: FeatureNames;
  readonly categorical: FeatureNames;
  /** Per categorical feature: its categories, to find a value's index without decoding it. */
  readonly categories: readonly CategoryTable[];
  /** Per family, the last map read the long way: the next messages of the same client likely repeat its bytes. */
  readonly numericTemplate: NumericMapTemplate;
  readonly categoricalTemplate: CategoricalMapTemplate;
  /**
   * The one observation messages of these keys are read into, then counted (it holds nothing
   * past its message): one per model version was another few cache lines per message.
   */
  readonly observation: Observation;
}

function featureNames(names: readonly string[]): FeatureNames {
  // A few more positions than features: a client may also send features the layout does not have.
  return { names: names.map((name) => Buffer.from(name, 'utf8')), index: new Map(names.map((name, i) => [name, i])), order: new Int32Array(names.length * 2 + 8).fill(-1) };
}

export function layoutKeys(layout: WindowLayout): LayoutKeys {
  return {
    numeric: featureNames(layout.numeric.map((f) => f.name)),
    categorical: featureNames(layout.categorical.map((f) => f.name)),
    categories: layout.categorical.map((f) => categoryTable(f.categories)),
    numericTemplate: new NumericMapTemplate(), categoricalTemplate: new CategoricalMapTemplate(), observation: emptyObservation(layout),
  };
}

/** Distinct feature schemas whose keys are kept for sharing; past this, each monitor gets its own. */
const MAX_SHARED_SCHEMAS = 10_000;

/**
 * Keys shared by every layout of the same feature schema (names, and categories in order; bin edges
 * do not matter to them): a model's versions usually share one. Read on every message, one copy
 * stays in the CPU's caches where one per model version would not (measured: ~15% of counting
 * with 100 versions of one schema).
 */
export class SharedLayoutKeys {
  private readonly bySchema = new Map<string, LayoutKeys>();

  of(layout: WindowLayout): LayoutKeys {
    const schema = JSON.stringify([layout.numeric.map((f) => f.name), layout.categorical.map((f) => [f.name, f.categories])]);
    const shared = this.bySchema.get(schema);
    if (shared !== undefined) return shared;
    const keys = layoutKeys(layout);
    if (this.bySchema.size < MAX_SHARED_SCHEMAS) this.bySchema.set(schema, keys);
    return keys;
  }
}

/**
 * A feature's categories in an open-addressing table of their byte hashes: a slot holds a
 * category's index + 1 (0: empty), probed linearly; the bytes confirm a match.
 */
interface CategoryTable {
  readonly slots: Int32Array;
  readonly mask: number;
  readonly bytes: readonly Buffer[];
}

function categoryTable(categories: readonly string[]): CategoryTable {
  const size = 2 ** Math.ceil(Math.log2(Math.max(4, categories.length * 4)));
  const slots = new Int32Array(size);
  const bytes = categories.map((category) => Buffer.from(category, 'utf8'));
  bytes.forEach((b, index) => {
    let slot = hashOf(b, 0, b.length) & (size - 1);
    while (slots[slot] !== 0) slot = (slot + 1) & (size - 1);
    slots[slot] = index + 1;
  });
  return { slots, mask: size - 1, bytes };
}

/** FNV-1a over `bytes[start, end)`. */
function hashOf(bytes: Buffer, start: number, end: number): number {
  let hash = 0x811c9dc5;
  for (let i = start; i < end; i += 1) hash = Math.imul(hash ^ bytes[i]!, 0x01000193);
  return hash;
}

/**
 * Values made once per distinct byte sequence: model names, classes and category values repeat in
 * nearly every message, as do the encodings of protected attributes; a lookup by a hash of the
 * bytes allocates nothing.
 */
class ByteInterned<T> {
  private readonly byHash = new Map<number, Array<{ readonly bytes: Buffer; readonly value: T }>>();
  private size = 0;

  constructor(private readonly make: (bytes: Buffer, start: number, end: number) => T) {}

  get(bytes: Buffer, start: number, end: number): T {
    const hash = hashOf(bytes, start, end);
    const bucket = this.byHash.get(hash);
    if (bucket !== undefined) {
      for (const entry of bucket) if (sameBytes(entry.bytes, bytes, start, end)) return entry.value;
    }
    const value = this.make(bytes, start, end);
    if (this.size < MAX_INTERNED) {
      const entry = { bytes: Buffer.from(bytes.subarray(start, end)), value };
      if (bucket === undefined) this.byHash.set(hash, [entry]);
      else bucket.push(entry);
      this.size += 1;
    }
    return value;
  }
}

function sameBytes(expected: Buffer, bytes: Buffer, start: number, end: number): boolean {
  if (expected.length !== end - start) return false;
  for (let i = 0; i < expected.length; i += 1) if (expected[i] !== bytes[start + i]) return false;
  return true;
}

function malformed(record: string, message: string): Undecodable {
  return new Undecodable('CONTRACTS.MALFORMED_BODY', `mgov.inference.${record} v1: ${message}`);
}

/**
 * Reads `Prediction` v1 messages (Avro single-object encoding) straight into an `Observation`,
 * without building the decoded record: the monitoring hot path. Decoding the generic way costs
 * a map object per feature family and a string per key, several times what counting costs.
 *
 * Reads exactly what avsc reads (blocks with negative counts, unions, last key wins) and refuses
 * what it refuses (truncation, trailing bytes, bad union branches), before anything is counted:
 * a spec holds the two to the same answers on valid and corrupted messages. Outcome v1 messages,
 * the rest of the monitoring stream, are read the same way (`outcome`). Other records and other
 * versions go through the generic codec.
 */
export class PredictionReader {
  private readonly fingerprint: Buffer;
  private readonly outcomeFingerprint: Buffer;
  /** The record in hand, for error messages. */
  private record: 'Prediction' | 'Outcome' = 'Prediction';
  private bytes: Buffer = Buffer.alloc(0);
  /** Where the message in hand ends in `bytes` (a fetch's messages may lie side by side in one buffer). */
  private end = 0;
  private view: DataView = new DataView(new ArrayBuffer(0));
  /** Where `bytes` starts in `view`. */
  private viewOffset = 0;
  private pos = 0;
  private readonly strings = new ByteInterned((bytes, start, end) => bytes.toString('utf8', start, end));
  /** Made from `ranges`, filled just before by the parse of the encoding. */
  private readonly attributes = new ByteInterned((bytes) => {
    const entries: Array<[string, string]> = [];
    for (let i = 0; i < this.rangeCount; i += 4) {
      entries.push([bytes.toString('utf8', this.ranges[i]!, this.ranges[i + 1]!), bytes.toString('utf8', this.ranges[i + 2]!, this.ranges[i + 3]!)]);
    }
    return Object.freeze(Object.fromEntries(entries));
  });
  /** The header of the message in hand: one object, refilled by each `header` call. */
  private readonly current = { modelName: '', modelVersion: 0, eventTime: 0, featuresAt: 0, end: 0, idStart: 0, idEnd: 0 };

  /** The outcome in hand: one object, refilled by each `outcome` call. */
  private readonly currentOutcome = { idStart: 0, idEnd: 0, groundTruth: '', eventTime: 0 };

  /** Writer fingerprints of Prediction v1 and Outcome v1 (the two records of the monitoring stream; one reader, so its calls stay monomorphic). */
  constructor(fingerprint: bigint, outcomeFingerprint: bigint) {
    this.fingerprint = Buffer.alloc(8);
    this.fingerprint.writeBigUInt64LE(fingerprint);
    this.outcomeFingerprint = Buffer.alloc(8);
    this.outcomeFingerprint.writeBigUInt64LE(outcomeFingerprint);
  }

  /**
   * True when the message in `bytes` from `start` to `end` (all of them by default) is framed as a
   * Prediction v1. Every method reads a message the same way: in place, wherever it lies.
   */
  accepts(bytes: Buffer, start = 0, end = bytes.length): boolean {
    return framedAs(bytes, start, end, this.fingerprint);
  }

  /** True when the message is framed as an Outcome v1. */
  acceptsOutcome(bytes: Buffer, start = 0, end = bytes.length): boolean {
    return framedAs(bytes, start, end, this.outcomeFingerprint);
  }

  /**
   * An Outcome v1: where its prediction id is, its truth (interned) and event time; checked whole
   * (the model name is skipped). Valid until the next call.
   */
  outcome(bytes: Buffer, start = 0, end = bytes.length): OutcomeFields {
    this.record = 'Outcome';
    this.use(bytes, end);
    this.pos = start + HEADER;
    const outcome = this.currentOutcome;
    outcome.idEnd = this.skipString();
    outcome.idStart = outcome.idEnd - this.lastLength;
    outcome.groundTruth = this.interned();
    this.wideLong();
    outcome.eventTime = this.wide;
    this.skipString();
    if (this.pos !== end) throw this.malformed('trailing data');
    if (outcome.idEnd === outcome.idStart) throw new Undecodable('MONITORING.INVALID_OUTCOME', 'predictionId is empty');
    return outcome;
  }

  private malformed(message: string): Undecodable {
    return malformed(this.record, message);
  }

  /** The fields before the features: enough to find the model version's window. Valid until the next call. */
  header(bytes: Buffer, start = 0, end = bytes.length): PredictionHeader {
    this.record = 'Prediction';
    this.use(bytes, end);
    this.pos = start + HEADER;
    const header = this.current;
    header.end = end;
    header.idEnd = this.skipString();
    header.idStart = header.idEnd - this.lastLength;
    header.modelName = this.interned();
    header.modelVersion = this.long();
    this.skipString();
    this.wideLong();
    header.eventTime = this.wide;
    header.featuresAt = this.pos;
    return header;
  }

  /** Reads from `bytes`, up to `end`, next; doubles through a view of the memory they are in (one per fetched batch, not per message). */
  private use(bytes: Buffer, end: number): void {
    this.bytes = bytes;
    this.end = end;
    if (bytes.buffer !== this.view.buffer) this.view = new DataView(bytes.buffer);
    this.viewOffset = bytes.byteOffset;
  }

  predictionId(bytes: Buffer, header: PredictionHeader): string {
    return bytes.toString('utf8', header.idStart, header.idEnd);
  }

  /**
   * The rest of the message into `into` (features by layout position), or only checked when
   * `keys` is null (a model version nobody monitors: its message must still be well-formed).
   */
  features(bytes: Buffer, header: PredictionHeader, keys: LayoutKeys | null, into: Observation | null): void {
    this.record = 'Prediction';
    this.use(bytes, header.end);
    this.pos = header.featuresAt;
    const target = keys === null ? null : into;
    if (target) {
      target.eventTime = header.eventTime;
      target.numeric.fill(Number.NaN);
      target.category.fill(MISSING);
      for (let i = 0; i < target.unseen.length; i += 1) target.unseen[i] = '';
    }
    this.numericFeatures(keys, target);
    this.categoricalFeatures(keys, target);
    const predictedClass = this.optionalString();
    this.optionalDouble();
    const score = this.wide;
    const protectedAttributes = this.protectedAttributes();
    const groundTruth = this.optionalString();
    if (this.pos !== header.end) throw this.malformed('trailing data');
    if (header.idEnd === header.idStart || header.modelName === '') {
      throw new Undecodable('MONITORING.INVALID_PREDICTION', 'predictionId and modelName must not be empty');
    }
    if (target) {
      target.predictedClass = predictedClass;
      target.score = score;
      target.protectedAttributes = protectedAttributes;
      target.groundTruth = groundTruth;
    }
  }

  private numericFeatures(keys: LayoutKeys | null, into: Observation | null): void {
    const at = this.pos;
    // Learnt and used only while counting: a message only checked has nowhere to put its values.
    const template = keys !== null && into !== null ? keys.numericTemplate : null;
    if (template !== null) {
      const length = template.readIfSame(this.view, this.viewOffset, this.bytes, at, this.end, into!.numeric);
      if (length >= 0) {
        this.pos = at + length;
        return;
      }
      template.startLearning();
    }
    let position = 0;
    for (let count = this.blockCount(); count > 0; count = this.blockCount()) {
      for (let n = 0; n < count; n += 1, position += 1) {
        const keyEnd = this.skipString();
        const index = keys === null ? -1 : this.match(keyEnd - this.lastLength, keyEnd, keys.numeric, position);
        const branch = this.long();
        if (branch === 1) {
          // Read in place into the observation: a double returned from a call is a heap number per feature.
          const pos = this.pos;
          if (pos + 8 > this.end) throw this.malformed('truncated buffer');
          this.pos = pos + 8;
          template?.learned(pos - at, index);
          if (index >= 0 && into !== null) {
            const value = this.view.getFloat64(this.viewOffset + pos, true);
            into.numeric[index] = Number.isFinite(value) ? value : Number.NaN;
          }
        } else if (branch !== 0) throw this.malformed(`invalid union branch ${branch}`);
        else if (index >= 0 && into !== null) {
          template?.learned(-1, index);
          into.numeric[index] = Number.NaN;
        }
      }
    }
    template?.learnedMap(this.bytes, at, this.pos);
  }

  private categoricalFeatures(keys: LayoutKeys | null, into: Observation | null): void {
    const at = this.pos;
    const template = keys !== null && into !== null ? keys.categoricalTemplate : null;
    if (template !== null) {
      if (this.categoriesLikeTemplate(template, keys!, into!)) return;
      // Entries read before the mismatch are read again.
      into!.category.fill(MISSING);
      for (let i = 0; i < into!.unseen.length; i += 1) into!.unseen[i] = '';
      template.startLearning();
    }
    let position = 0;
    let blocks = 0;
    for (let count = this.blockCount(); count > 0; count = this.blockCount()) {
      blocks += 1;
      for (let n = 0; n < count; n += 1, position += 1) {
        const entryStart = this.pos;
        const keyEnd = this.skipString();
        const index = keys === null ? -1 : this.match(keyEnd - this.lastLength, keyEnd, keys.categorical, position);
        const branch = this.long();
        template?.learned(entryStart - at, this.pos - at, index, branch === 1);
        if (branch === 1) {
          const end = this.skipString();
          if (index >= 0 && into !== null) this.category(keys!, index, end - this.lastLength, end, into);
        } else if (branch !== 0) throw this.malformed(`invalid union branch ${branch}`);
        else if (index >= 0 && into !== null) {
          into.category[index] = MISSING;
          into.unseen[index] = '';
        }
      }
    }
    template?.learnedMap(this.bytes, at, this.pos, blocks);
  }

  /**
   * Reads the categorical map as its template says it is laid out, if it is (true); false at the
   * first difference, with entries before it already read. Values are read as the long way reads them.
   */
  private categoriesLikeTemplate(template: CategoricalMapTemplate, keys: LayoutKeys, into: Observation): boolean {
    const entries = template.entries;
    const bytes = this.bytes;
    const end = this.end;
    let pos = this.pos;
    if (entries < 0 || pos >= end || bytes[pos] !== template.countByte) return false;
    pos += 1;
    for (let e = 0; e < entries; e += 1) {
      pos = template.prefixEnd(this.view, this.viewOffset, bytes, pos, end, e);
      if (pos < 0) return false;
      const index = template.indexOf(e);
      if (template.hasValue(e)) {
        // A length in one byte and not negative, as the values of the template were; else the long way.
        const first = pos < end ? bytes[pos]! : 0x80;
        if (first >= 0x80 || (first & 1) === 1) return false;
        const start = pos + 1;
        pos = start + (first >>> 1);
        if (pos > end) return false;
        if (index >= 0) this.category(keys, index, start, pos, into);
      } else if (index >= 0) {
        into.category[index] = MISSING;
        into.unseen[index] = '';
      }
    }
    if (pos >= end || bytes[pos] !== 0) return false;
    this.pos = pos + 1;
    return true;
  }

  /** The value at `bytes[start, end)` of categorical feature `index`: its category, or blank (missing), or unseen. */
  private category(keys: LayoutKeys, index: number, start: number, end: number, into: Observation): void {
    const known = this.knownCategory(keys.categories[index]!, start, end);
    if (known !== -1) {
      into.category[index] = known;
      into.unseen[index] = '';
    } else {
      // Not a training category: decoded, then blank (missing) or unseen.
      const value = this.strings.get(this.bytes, start, end);
      const category = value.trim() === '' ? MISSING : UNSEEN;
      into.category[index] = category;
      into.unseen[index] = category === UNSEEN ? value : '';
    }
  }

  /** Decoded once per distinct encoding: a service sees few combinations of protected groups. */
  private protectedAttributes(): Readonly<Record<string, string>> {
    const start = this.pos;
    // Refilled in place: emptying an array by its length frees its storage, and the next push allocates.
    let ranges = this.ranges;
    let used = 0;
    for (let count = this.blockCount(); count > 0; count = this.blockCount()) {
      for (let n = 0; n < count; n += 1) {
        if (used + 4 > ranges.length) ranges = this.ranges = growRanges(ranges);
        const keyEnd = this.skipString();
        ranges[used] = keyEnd - this.lastLength;
        ranges[used + 1] = keyEnd;
        const valueEnd = this.skipString();
        ranges[used + 2] = valueEnd - this.lastLength;
        ranges[used + 3] = valueEnd;
        used += 4;
      }
    }
    this.rangeCount = used;
    return used === 0 ? EMPTY : this.attributes.get(this.bytes, start, this.pos);
  }

  /**
   * The layout index of the map key at `position`. Clients write their features in the same order
   * every time (not necessarily the layout's): the index found at a position is tried there first.
   */
  private match(start: number, end: number, family: FeatureNames, position: number): number {
    const guess = position < family.order.length ? family.order[position]! : -1;
    if (guess !== -1 && sameBytes(family.names[guess]!, this.bytes, start, end)) return guess;
    const index = family.index.get(this.bytes.toString('utf8', start, end)) ?? -1;
    if (position < family.order.length) family.order[position] = index;
    return index;
  }

  private knownCategory(table: CategoryTable, start: number, end: number): number {
    for (let slot = hashOf(this.bytes, start, end) & table.mask; table.slots[slot] !== 0; slot = (slot + 1) & table.mask) {
      const index = table.slots[slot]! - 1;
      if (sameBytes(table.bytes[index]!, this.bytes, start, end)) return index;
    }
    return -1;
  }

  private blockCount(): number {
    const count = this.long();
    if (count >= 0) return count;
    // A negative count is followed by the block's size in bytes, which a reader may ignore.
    if (this.long() < 0) throw this.malformed('negative block size');
    return -count;
  }

  /** Length of the last string skipped (its bytes end where skipString returned). */
  private lastLength = 0;
  /** Start and end of each protected attribute's name and value (the first `rangeCount`), reused. */
  private ranges: Int32Array = new Int32Array(64);
  private rangeCount = 0;

  private skipString(): number {
    const length = this.long();
    if (length < 0) throw this.malformed('negative string length');
    const end = this.pos + length;
    if (end > this.end) throw this.malformed('truncated buffer');
    this.pos = end;
    this.lastLength = length;
    return end;
  }

  private interned(): string {
    const end = this.skipString();
    // Classes are often one ASCII character ('0', '1'): no hash and no lookup for those.
    if (this.lastLength === 1 && this.bytes[end - 1]! < 0x80) return ASCII[this.bytes[end - 1]!]!;
    return this.strings.get(this.bytes, end - this.lastLength, end);
  }

  private optionalString(): string | null {
    const branch = this.long();
    if (branch === 0) return null;
    if (branch !== 1) throw this.malformed(`invalid union branch ${branch}`);
    return this.interned();
  }

  /** An optional double into `wide` (NaN for null): returned, it would be a heap number per message. */
  private optionalDouble(): void {
    const branch = this.long();
    if (branch === 0) {
      this.wide = Number.NaN;
      return;
    }
    if (branch !== 1) throw this.malformed(`invalid union branch ${branch}`);
    const pos = this.pos;
    if (pos + 8 > this.end) throw this.malformed('truncated buffer');
    this.pos = pos + 8;
    this.wide = this.view.getFloat64(this.viewOffset + pos, true);
  }

  /** Avro's zig-zag varint, exact up to 2^53 as avsc reads it. */
  private long(): number {
    // Lengths, counts and union branches are nearly always one byte.
    if (this.pos < this.end) {
      const first = this.bytes[this.pos]!;
      if (first < 0x80) {
        this.pos += 1;
        return (first >>> 1) ^ -(first & 1);
      }
    }
    return this.longerLong();
  }

  /**
   * The last `wideLong` or `optionalDouble`: a double field, updated in place. An event time is
   * past the small integers, and a double returned from a call is a heap number made per message.
   */
  private wide = Number.NaN;

  /** A long as `long` reads it (the same errors, in the same order), into `wide`. */
  private wideLong(): void {
    const bytes = this.bytes;
    const end = this.end;
    let pos = this.pos;
    let n = 0;
    let scale = 1;
    for (;;) {
      if (pos >= end) throw this.malformed('truncated buffer');
      if (scale > 2 ** 63) throw this.malformed('varint longer than 10 bytes');
      const byte = bytes[pos++]!;
      n += (byte & 0x7f) * scale;
      scale *= 128;
      if ((byte & 0x80) === 0) break;
    }
    this.pos = pos;
    this.wide = n % 2 === 0 ? n / 2 : -(n + 1) / 2;
  }

  private longerLong(): number {
    const bytes = this.bytes;
    let pos = this.pos;
    if (pos >= this.end) throw this.malformed('truncated buffer');
    let byte = bytes[pos++]!;
    let n = byte & 0x7f;
    let scale = 128;
    while (byte & 0x80) {
      if (pos >= this.end) throw this.malformed('truncated buffer');
      if (scale > 2 ** 63) throw this.malformed('varint longer than 10 bytes');
      byte = bytes[pos++]!;
      n += (byte & 0x7f) * scale;
      scale *= 128;
    }
    this.pos = pos;
    return n % 2 === 0 ? n / 2 : -(n + 1) / 2;
  }
}

const EMPTY: Readonly<Record<string, string>> = Object.freeze({});
const ASCII = Array.from({ length: 0x80 }, (_, code) => String.fromCharCode(code));

function growRanges(ranges: Int32Array): Int32Array {
  const grown = new Int32Array(ranges.length * 2);
  grown.set(ranges);
  return grown;
}

