// kafkajs decodes every fetched record into an object: its offset and timestamp through a 64-bit
// Long and a string each, its headers by spreading an object per header, and the consumer parses
// each offset back to compare it. That is ~2.3 µs of CPU per record (measured in-process on
// bench:monitoring's records), more than the monitoring pipeline spends counting the record.
//
// A fetch thread reads only bytes and hands them over. So in its module registry kafkajs's record
// batch decoder is wrapped (keepRecordBatchesInPlace): a batch that is not part of a transaction
// and not a control batch stays as its bytes (decompressed, by kafkajs's codec for it, if it is
// compressed), standing in as one message; packing reads it record by record (readRecords).
// Transactional and control batches, and those of a codec kafkajs has not registered, go through
// kafkajs's decoder unchanged.
//
// What kafkajs does with the stand-in, and why that is right:
// - its offset is the batch's last offset (the header's, which compaction keeps), so the consumer
//   drops a batch wholly below the fetched offset, keeps one that reaches it, and resumes after it;
// - records of a kept batch below the fetched offset are dropped by readRecords, as the consumer
//   would have dropped their objects;
// - aborted-transaction filtering concerns transactional batches, which kafkajs decodes itself.
// Like kafkajs, this checks no CRC.

import type { Batch } from 'kafkajs';

/** The parts of kafkajs's Decoder (kafkajs/src/protocol/decoder) the wrapper uses. */
interface KafkajsDecoder {
  readonly buffer: Buffer;
  offset: number;
  forward(size: number): void;
}

type RecordBatchDecoder = (decoder: KafkajsDecoder) => Promise<{ records: readonly object[] }>;

/** A record batch's records: `bytes` is its records section, as fetched or decompressed. */
export interface InPlaceRecords {
  readonly bytes: Buffer;
  readonly firstOffset: bigint;
  readonly count: number;
}

const IN_PLACE = Symbol('mgov.inPlaceRecords');

// RecordBatch v2 (magic 2) header, from the batch's first byte (KIP-98).
const LENGTH_AT = 8;
const MAGIC_AT = 16;
const ATTRIBUTES_AT = 21;
const LAST_OFFSET_DELTA_AT = 23;
const FIRST_TIMESTAMP_AT = 27;
const MAX_TIMESTAMP_AT = 35;
const PRODUCER_ID_AT = 43;
const PRODUCER_EPOCH_AT = 51;
const FIRST_SEQUENCE_AT = 53;
const RECORD_COUNT_AT = 57;
const RECORDS_AT = 61;
/** Bytes before the records that the length field does not count: the first offset and the length itself. */
const LOG_OVERHEAD = 12;
const MAGIC = 2;
/** Transactional and control flags: either, and kafkajs decodes the batch. */
const NOT_PLAIN = 0x10 | 0x20;
const COMPRESSION = 0x07;

interface Codec {
  decompress(bytes: Buffer): Promise<Buffer>;
}

/* eslint-disable-next-line @typescript-eslint/no-require-imports -- kafkajs's codec registry (users register Snappy, LZ4, ZSTD in it) */
const compression = require('kafkajs/src/protocol/message/compression') as { lookupCodecByAttributes(attributes: number): Codec | null };

/** kafkajs's codec for a batch's attributes; null when it has none (kafkajs then fails on the batch, as it would have anyway). */
function codecOf(attributes: number): Codec | null {
  try {
    return compression.lookupCodecByAttributes(attributes);
  } catch {
    return null;
  }
}

/**
 * kafkajs's decoder for one record batch at `decoder.offset`, keeping the batch in place: the
 * result has one stand-in record (see the top of this file); `null` when kafkajs must decode it.
 */
export async function inPlaceBatch(decoder: KafkajsDecoder): Promise<{ records: object[] } | null> {
  const bytes = decoder.buffer;
  const at = decoder.offset;
  // A batch cut off by the fetch's size limit: kafkajs's decoder says so the way the fetch expects.
  if (bytes.length - at < RECORDS_AT) return null;
  const end = at + LOG_OVERHEAD + bytes.readInt32BE(at + LENGTH_AT);
  if (end > bytes.length || end < at + RECORDS_AT) return null;
  const attributes = bytes.readInt16BE(at + ATTRIBUTES_AT);
  if (bytes.readInt8(at + MAGIC_AT) !== MAGIC || (attributes & NOT_PLAIN) !== 0) return null;
  const compressed = (attributes & COMPRESSION) !== 0;
  const codec = compressed ? codecOf(attributes) : null;
  if (compressed && codec === null) return null;
  decoder.forward(end - at);
  const section = bytes.subarray(at + RECORDS_AT, end);
  const firstOffset = bytes.readBigInt64BE(at);
  const context = {
    firstOffset: firstOffset.toString(),
    firstTimestamp: bytes.readBigInt64BE(at + FIRST_TIMESTAMP_AT).toString(),
    maxTimestamp: bytes.readBigInt64BE(at + MAX_TIMESTAMP_AT).toString(),
    partitionLeaderEpoch: bytes.readInt32BE(at + LOG_OVERHEAD),
    inTransaction: false,
    isControlBatch: false,
    lastOffsetDelta: bytes.readInt32BE(at + LAST_OFFSET_DELTA_AT),
    producerId: bytes.readBigInt64BE(at + PRODUCER_ID_AT).toString(),
    producerEpoch: bytes.readInt16BE(at + PRODUCER_EPOCH_AT),
    firstSequence: bytes.readInt32BE(at + FIRST_SEQUENCE_AT),
    timestampType: 0,
  };
  // A compressed batch's records are one block: decompressed, they are a buffer outside the heap, not an object each.
  const records: InPlaceRecords = { bytes: codec === null ? section : await codec.decompress(section), firstOffset, count: Math.max(0, bytes.readInt32BE(at + RECORD_COUNT_AT)) };
  const standIn = {
    magicByte: MAGIC, attributes: 0, timestamp: context.maxTimestamp, key: null, value: null, headers: {},
    offset: (firstOffset + BigInt(context.lastOffsetDelta)).toString(), isControlRecord: false, batchContext: context,
    [IN_PLACE]: records,
  };
  return { ...context, records: [standIn] };
}

/** Where a fetch began, below which readRecords leaves records out: kafkajs's Batch has it (consumer/batch.js), its type declarations do not. */
export function fetchedOffsetOf(batch: Batch): bigint {
  const { fetchedOffset } = batch as Batch & { readonly fetchedOffset?: string };
  if (fetchedOffset === undefined) throw new Error('kafkajs gave a batch without its fetched offset: records kept in place cannot be read from it');
  return BigInt(fetchedOffset);
}

/** The records a fetched message stands in for, when it is a batch kept in place. */
export function inPlaceRecordsOf(message: object): InPlaceRecords | undefined {
  return (message as { [IN_PLACE]?: InPlaceRecords })[IN_PLACE];
}

const DECODER = 'kafkajs/src/protocol/recordBatch/v0/decoder';
/** The one module that requires the decoder: it must load after the wrapper is in place. */
const DECODER_USER = 'kafkajs/src/protocol/requests/fetch/v4/decodeMessages';

/**
 * Wraps kafkajs's record batch decoder in this thread's module registry. Call before the first
 * fetch (kafkajs loads its fetch decoding then): afterwards it would be too late, and this throws.
 */
export function keepRecordBatchesInPlace(): void {
  /* eslint-disable @typescript-eslint/no-require-imports -- the module registry itself is what this changes */
  const version = (require('kafkajs/package.json') as { version: string }).version;
  // The wrapper relies on kafkajs 2's decoder module and record objects (2.2.4 is the last release).
  if (!version.startsWith('2.')) throw new Error(`in-place record batches were written for kafkajs 2, found ${version}`);
  if (require.cache[require.resolve(DECODER_USER)] !== undefined) throw new Error('kafkajs already loaded its fetch decoding: keep record batches in place before the first fetch');
  const path = require.resolve(DECODER);
  const decode = require(path) as RecordBatchDecoder;
  const kept: RecordBatchDecoder = async (decoder) => (await inPlaceBatch(decoder)) ?? decode(decoder);
  require.cache[path]!.exports = kept;
  /* eslint-enable @typescript-eslint/no-require-imports */
}

/** Where a record's fields are in the records section (see readRecords). */
export interface RecordFields {
  offset: bigint;
  valueStart: number;
  valueEnd: number;
  keyStart: number;
  keyEnd: number;
  /** The record's headers in Kafka's encoding: a varint count, then each name and value (see readHeaders). */
  headersStart: number;
  headersEnd: number;
}

/** A record that does not parse: the batch is corrupt (kafkajs would fail on it too). */
export class CorruptRecordBatch extends Error {}

/**
 * Calls `each` for every record of `records` at or after `from`, with where its fields are (one
 * object, refilled). Positions are in `records.bytes`.
 */
export function readRecords(records: InPlaceRecords, from: bigint, each: (fields: RecordFields) => void): void {
  const reader = new VarintReader(records.bytes);
  const fields: RecordFields = { offset: 0n, valueStart: 0, valueEnd: 0, keyStart: 0, keyEnd: 0, headersStart: 0, headersEnd: 0 };
  for (let r = 0; r < records.count; r += 1) {
    const length = reader.varint();
    const end = reader.pos + length;
    if (length < 0 || end > records.bytes.length) throw new CorruptRecordBatch(`record ${r} of the batch at offset ${records.firstOffset} overruns the batch`);
    reader.end = end;
    reader.skip(1); // attributes
    reader.skipVarint(); // timestamp delta
    const offsetDelta = reader.varint();
    const keyLength = reader.varint();
    fields.keyStart = reader.pos;
    reader.skip(nullableLength(keyLength));
    fields.keyEnd = reader.pos;
    const valueLength = reader.varint();
    fields.valueStart = reader.pos;
    reader.skip(nullableLength(valueLength));
    fields.valueEnd = reader.pos;
    fields.headersStart = reader.pos;
    fields.headersEnd = end;
    reader.pos = end;
    reader.end = records.bytes.length;
    fields.offset = records.firstOffset + BigInt(offsetDelta);
    if (fields.offset >= from) each(fields);
  }
}

/** A key's or value's length: -1 is null (no bytes); any other negative one is refused by `skip`. */
const nullableLength = (length: number) => (length === -1 ? 0 : length);

/** Kafka's zig-zag varints, bounded by `end`. */
class VarintReader {
  pos = 0;
  end: number;

  constructor(private readonly bytes: Buffer) {
    this.end = bytes.length;
  }

  varint(): number {
    let value = 0;
    for (let shift = 0; shift < 35; shift += 7) {
      if (this.pos >= this.end) throw new CorruptRecordBatch('a record ends inside a varint');
      const byte = this.bytes[this.pos++]!;
      value |= (byte & 0x7f) << shift;
      if (byte < 0x80) return (value >>> 1) ^ -(value & 1);
    }
    throw new CorruptRecordBatch('a varint longer than 5 bytes');
  }

  skipVarint(): void {
    for (let n = 0; n < 10; n += 1) {
      if (this.pos >= this.end) throw new CorruptRecordBatch('a record ends inside a varint');
      if (this.bytes[this.pos++]! < 0x80) return;
    }
    throw new CorruptRecordBatch('a varlong longer than 10 bytes');
  }

  skip(bytes: number): void {
    // A negative length would move the reader back over what it read.
    if (bytes < 0) throw new CorruptRecordBatch(`a record field of negative length (${bytes})`);
    if (this.pos + bytes > this.end) throw new CorruptRecordBatch('a record field overruns its record');
    this.pos += bytes;
  }
}

/** Headers in Kafka's record encoding, as the bus gives them: strings, the last value of a repeated name winning, null as ''. */
export function readHeaders(bytes: Buffer, start: number, end: number): Record<string, string> {
  const headers: Record<string, string> = {};
  if (start === end) return headers;
  const reader = new VarintReader(bytes);
  reader.pos = start;
  reader.end = end;
  const count = reader.varint();
  for (let h = 0; h < count; h += 1) {
    const nameLength = reader.varint();
    const nameStart = reader.pos;
    reader.skip(nameLength);
    const valueLength = reader.varint();
    const valueStart = reader.pos;
    reader.skip(nullableLength(valueLength));
    headers[bytes.toString('utf8', nameStart, nameStart + nameLength)] = bytes.toString('utf8', valueStart, reader.pos);
  }
  return headers;
}

/** Headers in Kafka's record encoding (what readHeaders reads). */
export function encodeHeaders(entries: ReadonlyArray<readonly [Buffer, Buffer]>): Buffer {
  const parts: Buffer[] = [zigzag(entries.length)];
  for (const [name, value] of entries) parts.push(zigzag(name.length), name, zigzag(value.length), value);
  return Buffer.concat(parts);
}

function zigzag(n: number): Buffer {
  let value = ((n << 1) ^ (n >> 31)) >>> 0;
  const out: number[] = [];
  while (value >= 0x80) {
    out.push((value & 0x7f) | 0x80);
    value >>>= 7;
  }
  out.push(value);
  return Buffer.from(out);
}
