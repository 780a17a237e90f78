import type { IHeaders, KafkaMessage } from 'kafkajs';
import type { ReceivedMessage } from '../message-bus';
import type { BatchPart } from '../received-batch';

/** Fields per message in a packed batch's index: value, key and headers, each as [start, end) in `bytes`. */
const FIELDS = 6;

/**
 * One partition's fetched messages as a fetch thread hands them over: every value, key and header
 * back to back in one buffer (transferred, not copied, between threads) with an index of where each
 * is. Structured-cloning a kafkajs batch instead costs an object graph per message on both sides.
 */
export interface PackedBatch {
  readonly topic: string;
  readonly partition: number;
  readonly count: number;
  readonly bytes: ArrayBuffer;
  readonly index: Uint32Array;
  readonly offsets: BigInt64Array;
}

/** Kafka headers as one block: [u32 count] then per header [u32 name length][name][u32 value length][value]. */
function headerEntries(headers: IHeaders | undefined): Array<[Buffer, Buffer]> {
  const entries: Array<[Buffer, Buffer]> = [];
  for (const name of Object.keys(headers ?? {})) {
    const value = headers![name];
    // A header repeated on the wire arrives as an array; the last value wins (as for the unpacked bus).
    const last = Array.isArray(value) ? value[value.length - 1] : value;
    if (last === undefined) continue;
    entries.push([Buffer.from(name, 'utf8'), Buffer.isBuffer(last) ? last : Buffer.from(String(last), 'utf8')]);
  }
  return entries;
}

export function packBatch(topic: string, partition: number, messages: readonly KafkaMessage[]): PackedBatch {
  const count = messages.length;
  const headers = new Array<Array<[Buffer, Buffer]> | null>(count);
  let size = 0;
  for (let i = 0; i < count; i += 1) {
    const message = messages[i]!;
    size += (message.value?.length ?? 0) + (message.key?.length ?? 0);
    const entries = message.headers && Object.keys(message.headers).length > 0 ? headerEntries(message.headers) : null;
    headers[i] = entries;
    if (entries) for (const [name, value] of entries) size += 8 + name.length + value.length;
    if (entries) size += 4;
  }
  const bytes = new ArrayBuffer(size);
  const out = Buffer.from(bytes);
  const index = new Uint32Array(count * FIELDS);
  const offsets = new BigInt64Array(count);
  let at = 0;
  const put = (source: Buffer | null | undefined, field: number) => {
    index[field] = at;
    if (source) at += source.copy(out, at);
    index[field + 1] = at;
  };
  for (let i = 0; i < count; i += 1) {
    const message = messages[i]!;
    offsets[i] = BigInt(message.offset);
    put(message.value, i * FIELDS);
    put(message.key, i * FIELDS + 2);
    index[i * FIELDS + 4] = at;
    const entries = headers[i];
    if (entries) {
      at = out.writeUInt32LE(entries.length, at);
      for (const [name, value] of entries) {
        at = out.writeUInt32LE(name.length, at);
        at += name.copy(out, at);
        at = out.writeUInt32LE(value.length, at);
        at += value.copy(out, at);
      }
    }
    index[i * FIELDS + 5] = at;
  }
  return { topic, partition, count, bytes, index, offsets };
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
    return this.batch.offsets[this.i]!.toString();
  }

  get key(): string {
    const at = this.i * FIELDS + 2;
    return (this.decodedKey ??= this.buffer.toString('utf8', this.batch.index[at]!, this.batch.index[at + 1]!));
  }

  get headers(): Record<string, string> {
    return (this.decodedHeaders ??= this.readHeaders());
  }

  private readHeaders(): Record<string, string> {
    const result: Record<string, string> = {};
    let at = this.batch.index[this.i * FIELDS + 4]!;
    const end = this.batch.index[this.i * FIELDS + 5]!;
    if (at === end) return result;
    const count = this.buffer.readUInt32LE(at);
    at += 4;
    for (let h = 0; h < count; h += 1) {
      const nameLength = this.buffer.readUInt32LE(at);
      const name = this.buffer.toString('utf8', at + 4, at + 4 + nameLength);
      at += 4 + nameLength;
      const valueLength = this.buffer.readUInt32LE(at);
      result[name] = this.buffer.toString('utf8', at + 4, at + 4 + valueLength);
      at += 4 + valueLength;
    }
    return result;
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
    this.buffer = Buffer.from(batch.bytes);
  }

  offset(i: number): bigint {
    return this.batch.offsets[i]!;
  }

  valueBytes(): Buffer {
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
