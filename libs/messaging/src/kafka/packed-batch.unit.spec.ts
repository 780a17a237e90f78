import type { KafkaMessage } from 'kafkajs';
import { batchOfParts } from '../received-batch';
import { packBatch, type PackedBatch, packedPart } from './packed-batch';

const unpacked = (batch: PackedBatch) => batchOfParts([packedPart(batch)]).messages();

const message = (offset: string, fields: Partial<KafkaMessage>): KafkaMessage =>
  ({ offset, key: null, value: null, headers: {}, timestamp: '0', attributes: 0, ...fields }) as KafkaMessage;

describe('a packed batch (what a fetch thread hands over)', () => {
  it('gives back every value, key, header and offset as the unpacked bus would', () => {
    // Given messages with and without keys, values and headers, a repeated header, a unicode value and a 64-bit offset
    const messages = [
      message('0', { key: Buffer.from('model-a'), value: Buffer.from([0xc3, 0x01, 0, 255]), headers: { traceparent: Buffer.from('00-abc-01') } }),
      message('1', { value: Buffer.from('ünïcode ✓'), headers: { repeated: [Buffer.from('first'), Buffer.from('last')], text: 'as a string' } }),
      message('2', {}),
      message('9007199254740993', { key: Buffer.from(''), value: Buffer.alloc(70_000, 7) }),
    ];

    // When packed on one side and unpacked on the other
    const received = unpacked(packBatch('mgov.predictions', 3, messages));

    // Then each message reads the same
    expect(received.map((m) => [m.topic, m.partition, m.offset, m.key])).toEqual([
      ['mgov.predictions', 3, '0', 'model-a'],
      ['mgov.predictions', 3, '1', ''],
      ['mgov.predictions', 3, '2', ''],
      ['mgov.predictions', 3, '9007199254740993', ''],
    ]);
    expect(received[0]!.value).toEqual(Buffer.from([0xc3, 0x01, 0, 255]));
    expect(received[1]!.value.toString()).toBe('ünïcode ✓');
    expect(received[2]!.value.length).toBe(0);
    expect(received[3]!.value.equals(Buffer.alloc(70_000, 7))).toBe(true);
    expect(received.map((m) => m.headers)).toEqual([
      { traceparent: '00-abc-01' }, { repeated: 'last', text: 'as a string' }, {}, {},
    ]);
  });

  it('moves its bytes in one buffer: nothing of a message is shared with the fetch it came from', () => {
    // Given a fetched value
    const fetched = Buffer.from('prediction');
    const packed = packBatch('t', 0, [message('5', { value: fetched })]);

    // When the fetch buffer is reused after packing
    fetched.fill(0);

    // Then the packed batch still holds the message, in its one transferable buffer
    expect(unpacked(packed)[0]!.value.toString()).toBe('prediction');
    expect(packed.memory.byteLength).toBe(32 + 'prediction'.length);
  });

  it('lets a handler read every value in place, in the one buffer, with its offset', () => {
    // Given a packed batch of three values
    const values = ['first', '', 'third, longer'];
    const part = packedPart(packBatch('t', 2, values.map((value, i) => message(String(10 + i), { value: Buffer.from(value) }))));

    // When each value is read where it lies
    const read = values.map((_, i) => part.valueBytes(i).toString('utf8', part.valueStart(i), part.valueEnd(i)));

    // Then the values, offsets and partition are those packed, and all share one buffer
    expect(read).toEqual(values);
    expect([0, 1, 2].map((i) => part.offset(i))).toEqual([10n, 11n, 12n]);
    expect([part.topic, part.partition, part.count]).toEqual(['t', 2, 3]);
    expect(part.valueBytes(0)).toBe(part.valueBytes(2));
  });

  it('packs into the buffer it is given (a reused one, longer than needed), and refuses reads once that buffer went back', () => {
    // Given a batch packed into a 1 KiB buffer handed in, and a message of it kept by a handler
    const given = new ArrayBuffer(1024);
    const packed = packBatch('t', 4, [message('7', { key: Buffer.from('k'), value: Buffer.from('kept') })], 0n, (bytes) => {
      expect(bytes).toBeLessThanOrEqual(given.byteLength);
      return given;
    });
    const part = packedPart(packed);
    const kept = batchOfParts([part]).messages()[0]!;
    expect(packed.memory).toBe(given);
    expect([kept.value.toString(), kept.key, kept.offset]).toEqual(['kept', 'k', '7']);

    // When the buffer goes back to the fetch thread (transferred: detached here)
    structuredClone(packed.memory, { transfer: [packed.memory] });

    // Then reading the kept message says why, instead of reading as empty
    expect(() => kept.value).toThrow(/read after its batch was handled/);
    expect(() => kept.key).toThrow(/copy what a handler keeps/);
    expect(() => part.message(0).value).toThrow(/t\/4/);
    expect(part.valueBytes(0).length).toBe(0);
  });

  it('packs an empty batch', () => {
    expect(unpacked(packBatch('t', 0, []))).toEqual([]);
  });
});
