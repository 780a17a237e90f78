import type { IHeaders, KafkaMessage } from 'kafkajs';
import type { ReceivedMessage } from '../message-bus';
import type { BatchPart } from '../received-batch';
import { encodeHeaders, inPlaceRecordsOf, readHeaders, readRecords, type RecordFields } from './in-place-record-batches';

/** Fields per message in a packed batch's index: value, key and headers (Kafka's record encoding), each as [start, end) in `memory`. */
const FIELDS = 6;
/** Bytes per message before the records: its offset (8) and its index (FIELDS × 4). */
const INDEX_BYTES = 8 + FIELDS * 4;

/**
 * One partition's fetched messages as a fetch thread hands them over: in one buffer (transferred,
 * not copied, between threads, and given back to be reused once handled), each message's offset,
 * then where its value, key and headers are, then every value, key and header back to back.
 * Structured-cloning a kafkajs batch instead costs an object graph per message on both sides.
 */
export interface PackedBatch {
  readonly topic: string;
  readonly partition: number;
  readonly count: number;
  /** Everything below lies in it (it may be longer than what the batch uses: a reused buffer). */
  readonly memory: ArrayBuffer;
  /** Views of `memory`. */
  readonly index: Uint32Array;
  readonly offsets: BigInt64Array;
}

/** A message's headers as Kafka encodes them in a record (what `readHeaders` reads), or null without any. */
function encodedHeaders(headers: IHeaders | undefined): Buffer | null {
  const entries: Array<[Buffer, Buffer]> = [];
  for (const name of Object.keys(headers ?? {})) {
    const value = headers![name];
    // A header repeated on the wire arrives as an array; the last value wins (as for the unpacked bus).
    const last = Array.isArray(value) ? value[value.length - 1] : value;
    if (last === undefined) continue;
    // A header without a value (null on the wire) reads as empty, as on every path of the bus.
    entries.push([Buffer.from(name, 'utf8'), Buffer.isBuffer(last) ? last : Buffer.from(last === null ? '' : String(last), 'utf8')]);
  }
  return entries.length === 0 ? null : encodeHeaders(entries);
}

/**
 * One partition's fetched messages packed into a buffer of `memoryOf` (one of at least the bytes
 * asked for): a batch kafkajs decoded is copied message by message; a batch kept in place
 * (in-place-record-batches) is copied whole and indexed where its records lie, from the fetched
 * offset `from` on (the records before it were not asked for).
 */
export function packBatch(
  topic: string, partition: number, messages: readonly KafkaMessage[], from = 0n, memoryOf: (bytes: number) => ArrayBuffer = (bytes) => new ArrayBuffer(bytes),
): PackedBatch {
  let size = 0;
  let capacity = 0;
  const headers = new Array<Buffer | null>(messages.length);
  for (let i = 0; i < messages.length; i += 1) {
    const message = messages[i]!;
    const records = inPlaceRecordsOf(message);
    if (records !== undefined) {
      size += records.bytes.length;
      capacity += records.count;
      continue;
    }
    const encoded = encodedHeaders(message.headers);
    headers[i] = encoded;
    size += (message.value?.length ?? 0) + (message.key?.length ?? 0) + (encoded?.length ?? 0);
    capacity += 1;
  }
  const memory = memoryOf(capacity * INDEX_BYTES + size);
  const out = Buffer.from(memory);
  const offsets = new BigInt64Array(memory, 0, capacity);
  const index = new Uint32Array(memory, capacity * 8, capacity * FIELDS);
  let at = capacity * INDEX_BYTES;
  let count = 0;
  const put = (source: Buffer | null | undefined, field: number) => {
    index[field] = at;
    if (source) at += source.copy(out, at);
    index[field + 1] = at;
  };
  const indexRecord = (base: number) => (record: RecordFields) => {
    const field = count * FIELDS;
    index[field] = base + record.valueStart;
    index[field + 1] = base + record.valueEnd;
    index[field + 2] = base + record.keyStart;
    index[field + 3] = base + record.keyEnd;
    index[field + 4] = base + record.headersStart;
    index[field + 5] = base + record.headersEnd;
    offsets[count] = record.offset;
    count += 1;
  };
  for (let i = 0; i < messages.length; i += 1) {
    const message = messages[i]!;
    const records = inPlaceRecordsOf(message);
    if (records !== undefined) {
      const base = at;
      at += records.bytes.copy(out, at);
      readRecords(records, from, indexRecord(base));
      continue;
    }
    offsets[count] = BigInt(message.offset);
    put(message.value, count * FIELDS);
    put(message.key, count * FIELDS + 2);
    put(headers[i], count * FIELDS + 4);
    count += 1;
  }
  // Records before `from` take room in the index they do not use.
  return { topic, partition, count, memory, index: index.subarray(0, count * FIELDS), offsets: offsets.subarray(0, count) };
}

/**
 * Once its batch is handled, the buffer goes back to the fetch thread (detached here, its length
 * 0): a message read after that is a handler's mistake, and would otherwise read as empty.
 */
function usable(batch: PackedBatch): void {
  if (batch.memory.byteLength === 0) {
    throw new Error(`a message of ${batch.topic}/${batch.partition} was read after its batch was handled: its buffer is reused; copy what a handler keeps`);
  }
}

/**
 * A message of a packed batch as the bus port's ReceivedMessage. The value is a view into the
 * batch's buffer (no copy), made on each read and not kept: a handler holds a batch's messages
 * until it is done with them, and views kept that long would outlive the young generation. The
 * key, headers and offset string are made when first read.
 */
class PackedMessage implements ReceivedMessage {
  private decodedKey: string | undefined;
  private decodedHeaders: Record<string, string> | undefined;

  constructor(private readonly batch: PackedBatch, private readonly buffer: Buffer, private readonly i: number) {}

  get value(): Buffer {
    usable(this.batch);
    const at = this.i * FIELDS;
    return this.buffer.subarray(this.batch.index[at]!, this.batch.index[at + 1]!);
  }

  get topic(): string {
    return this.batch.topic;
  }

  get partition(): number {
    return this.batch.partition;
  }

  get offset(): string {
    usable(this.batch);
    return this.batch.offsets[this.i]!.toString();
  }

  get key(): string {
    usable(this.batch);
    const at = this.i * FIELDS + 2;
    return (this.decodedKey ??= this.buffer.toString('utf8', this.batch.index[at]!, this.batch.index[at + 1]!));
  }

  get headers(): Record<string, string> {
    return (this.decodedHeaders ??= this.readHeaders());
  }

  private readHeaders(): Record<string, string> {
    usable(this.batch);
    const at = this.i * FIELDS + 4;
    return readHeaders(this.buffer, this.batch.index[at]!, this.batch.index[at + 1]!);
  }

  toJSON(): object {
    return { topic: this.topic, partition: this.partition, offset: this.offset, key: this.key, value: this.value, headers: this.headers };
  }
}

/** A packed batch as a part of a received batch: every value read in place in the one buffer. */
class PackedPart implements BatchPart {
  readonly topic: string;
  readonly partition: number;
  readonly count: number;
  private readonly buffer: Buffer;

  constructor(private readonly batch: PackedBatch) {
    this.topic = batch.topic;
    this.partition = batch.partition;
    this.count = batch.count;
    this.buffer = Buffer.from(batch.memory);
  }

  offset(i: number): bigint {
    return this.batch.offsets[i]!;
  }

  valueBytes(): Buffer {
    // Not checked here (per message, on the hot path): after the batch, this buffer is empty and
    // the index holds nothing, so a read finds no message rather than another batch's.
    return this.buffer;
  }

  valueStart(i: number): number {
    return this.batch.index[i * FIELDS]!;
  }

  valueEnd(i: number): number {
    return this.batch.index[i * FIELDS + 1]!;
  }

  message(i: number): ReceivedMessage {
    return new PackedMessage(this.batch, this.buffer, i);
  }
}

export function packedPart(batch: PackedBatch): BatchPart {
  return new PackedPart(batch);
}
