import type { KafkaMessage } from 'kafkajs';
import { batchOfParts } from '../received-batch';
import { CorruptRecordBatch, encodeHeaders, inPlaceBatch, inPlaceRecordsOf, readHeaders } from './in-place-record-batches';
import { packBatch, packedPart } from './packed-batch';

// kafkajs's own record batch encoder and decoder: the reference a batch kept in place must agree with.
/* eslint-disable @typescript-eslint/no-require-imports */
const { RecordBatch: encodeBatch } = require('kafkajs/src/protocol/recordBatch/v0') as { RecordBatch: (batch: object) => Promise<{ buffer: Buffer }> };
const encodeRecord = require('kafkajs/src/protocol/recordBatch/record/v0') as (record: object) => unknown;
const kafkajsDecode = require('kafkajs/src/protocol/recordBatch/v0/decoder') as (decoder: object) => Promise<{ records: KafkaMessage[] }>;
const Decoder = require('kafkajs/src/protocol/decoder') as new (buffer: Buffer) => { buffer: Buffer; offset: number; forward(n: number): void };
const { Types: Compression } = require('kafkajs/src/protocol/message/compression') as { Types: { GZIP: number } };
const Long = require('kafkajs/src/utils/long') as { fromValue(value: string): unknown };
/* eslint-enable @typescript-eslint/no-require-imports */

interface TestRecord {
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly headers?: Record<string, Buffer | string | Array<Buffer | string>>;
  readonly timestampDelta?: number;
}

async function recordBatch(firstOffset: string, records: readonly TestRecord[], options: { compression?: number; transactional?: boolean; offsetStep?: number } = {}): Promise<Buffer> {
  const step = options.offsetStep ?? 1;
  const encoded = await encodeBatch({
    firstOffset: Long.fromValue(firstOffset), firstTimestamp: 1_700_000_000_000, maxTimestamp: 1_700_000_000_000 + records.length,
    lastOffsetDelta: (records.length - 1) * step, compression: options.compression, transactional: options.transactional,
    records: records.map((record, i) => encodeRecord({ offsetDelta: i * step, timestampDelta: record.timestampDelta ?? i, key: record.key, value: record.value, headers: record.headers ?? {} })),
  });
  return encoded.buffer;
}

/** Messages as a fetch's batches decode: kept in place where they can be, by kafkajs otherwise. */
async function fetched(bytes: Buffer, decode: 'in place' | 'kafkajs'): Promise<KafkaMessage[]> {
  const decoder = new Decoder(bytes);
  const messages: KafkaMessage[] = [];
  while (decoder.offset < bytes.length) {
    const batch = (decode === 'in place' ? await inPlaceBatch(decoder) : null) ?? await kafkajsDecode(decoder);
    messages.push(...(batch.records as KafkaMessage[]));
  }
  return messages;
}

const received = (messages: KafkaMessage[], from = 0n) =>
  batchOfParts([packedPart(packBatch('mgov.predictions', 4, messages, from))]).messages().map((m) => ({ offset: m.offset, key: m.key, value: m.value.toString('hex'), headers: m.headers }));

const varied: TestRecord[] = [
  { key: Buffer.from('model-a'), value: Buffer.from([0xc3, 0x01, 0, 255]), headers: { traceparent: Buffer.from('00-abc-01') } },
  { key: null, value: Buffer.from('ünïcode ✓'), headers: { repeated: [Buffer.from('first'), Buffer.from('last')], text: 'as a string' } },
  { key: Buffer.from(''), value: null },
  // A value and a timestamp delta whose lengths take several varint bytes.
  { key: Buffer.from('k'), value: Buffer.alloc(70_000, 7), timestampDelta: 2 ** 40 },
];

describe('record batches kept in place (what a fetch thread reads without kafkajs decoding each record)', () => {
  it('packs every record as kafkajs would have decoded it: offsets, keys, values and headers', async () => {
    // Given two plain batches back to back, one at a 64-bit offset with gaps between offsets (as compaction leaves)
    const bytes = Buffer.concat([await recordBatch('10', varied), await recordBatch('9007199254740000', varied, { offsetStep: 300 })]);

    // When read in place, and decoded by kafkajs
    const inPlace = await fetched(bytes, 'in place');
    const byKafkajs = await fetched(bytes, 'kafkajs');

    // Then each batch stood in as one message, and the packed records are the same either way
    expect(inPlace).toHaveLength(2);
    expect(inPlace.map((m) => inPlaceRecordsOf(m)?.count)).toEqual([4, 4]);
    expect(received(inPlace)).toEqual(received(byKafkajs));
    expect(received(inPlace).map((m) => m.offset)).toEqual(['10', '11', '12', '13', '9007199254740000', '9007199254740300', '9007199254740600', '9007199254740900']);
    expect(received(inPlace)[1]!.headers).toEqual({ repeated: 'last', text: 'as a string' });
  });

  it('stands in with the batch\'s last offset, so kafkajs resumes after the whole batch', async () => {
    const [standIn] = await fetched(await recordBatch('100', varied, { offsetStep: 2 }), 'in place');
    expect(standIn!.offset).toBe('106');
  });

  it('packs only the records from the fetched offset on', async () => {
    // Given a batch of ten, fetched from its fourth record
    const records = Array.from({ length: 10 }, (_, i) => ({ key: null, value: Buffer.from(`v${i}`) }));
    const inPlace = await fetched(await recordBatch('50', records), 'in place');

    // When packed
    const packed = received(inPlace, 53n);

    // Then the three before it are left out
    expect(packed.map((m) => [m.offset, Buffer.from(m.value, 'hex').toString()])).toEqual(Array.from({ length: 7 }, (_, i) => [String(53 + i), `v${3 + i}`]));
  });

  it('keeps compressed batches in place too (decompressed), leaves transactional ones to kafkajs, and reads all in order', async () => {
    // Given a gzip batch and a transactional one between two plain batches
    const one = [{ key: null, value: Buffer.from('x') }];
    const bytes = Buffer.concat([
      await recordBatch('0', one), await recordBatch('1', varied, { compression: Compression.GZIP }), await recordBatch('5', one, { transactional: true }), await recordBatch('6', one),
    ]);

    // When read in place
    const inPlace = await fetched(bytes, 'in place');

    // Then kafkajs decoded only the transactional one, and the records are the same as all decoded by kafkajs
    expect(inPlace.map((m) => inPlaceRecordsOf(m)?.count ?? 'decoded')).toEqual([1, 4, 'decoded', 1]);
    expect(received(inPlace)).toEqual(received(await fetched(bytes, 'kafkajs')));
  });

  it('leaves a batch of a codec kafkajs has not registered to kafkajs, which fails on it as it always did', async () => {
    // Given a batch marked as Snappy (kafkajs has no Snappy codec unless one is registered)
    const bytes = await recordBatch('0', varied);
    bytes.writeInt16BE(2, 21);
    const decoder = new Decoder(bytes);

    // When read, then it is not kept in place and nothing of it is consumed
    expect(await inPlaceBatch(decoder)).toBeNull();
    expect(decoder.offset).toBe(0);
  });

  it('leaves a batch cut off by the fetch\'s size limit to kafkajs, which reports it as partial', async () => {
    const whole = await recordBatch('0', varied);
    for (const cut of [10, 60, whole.length - 1]) {
      const decoder = new Decoder(whole.subarray(0, cut));
      expect(await inPlaceBatch(decoder)).toBeNull();
      expect(decoder.offset).toBe(0);
    }
  });

  it('refuses a record that overruns its batch rather than pack bytes of the next', async () => {
    // Given a batch whose second record's length (a varint) claims more bytes than the batch has
    const bytes = await recordBatch('0', [{ key: null, value: Buffer.from('a') }, { key: null, value: Buffer.from('b') }]);
    const [standIn] = await fetched(bytes, 'in place');
    const records = inPlaceRecordsOf(standIn!)!;
    const second = 1 + (records.bytes[0]! >> 1);
    records.bytes[second] = 0x7e;

    // When packed, then it is refused
    expect(() => packBatch('t', 0, [standIn!])).toThrow(CorruptRecordBatch);
  });

  it('refuses a negative length other than null\'s -1 rather than read back over what it read', () => {
    // Given two headers, the second's name length -1 (zig-zag 1: read back, it would be its own value's length), and a header with a null value
    const negativeName = Buffer.from([4, 2, 0x61, 2, 0x62, 1]);
    const nullValue = Buffer.from([2, 2, 0x61, 1]);

    // When read, then the first is refused and the second reads as an empty value
    expect(() => readHeaders(negativeName, 0, negativeName.length)).toThrow(CorruptRecordBatch);
    expect(readHeaders(nullValue, 0, nullValue.length)).toEqual({ a: '' });
    const encoded = encodeHeaders([[Buffer.from('a'), Buffer.from('b')]]);
    expect(readHeaders(encoded, 0, encoded.length)).toEqual({ a: 'b' });
  });
});
