import { avroCodec, type Outcome, type Prediction } from '@mgov/contracts';
import { emptyObservation, layoutOf, type Observation, observe } from '@mgov/monitoring-domain';
import { profileColumns } from '@mgov/stats';
import { seededRandom } from '@mgov/testing';
import { layoutKeys, type PredictionHeader, PredictionReader } from './prediction-reader';

const codec = avroCodec();
const regions = ['north', 'south', 'east', 'west'];
const training = Array.from({ length: 500 }, (_, i) => ({ income: (i * 37) % 1_000, age: 18 + (i % 60), region: regions[i % 4]!, tier: i % 3 === 0 ? 'gold' : 'basic' }));
const layout = layoutOf(profileColumns(training));
const keys = layoutKeys(layout);
const reader = new PredictionReader(codec.writerFingerprint('Prediction', 1), codec.writerFingerprint('Outcome', 1));

/** Predictions a real inference service may send: missing, non-finite, unknown, reordered and unicode values included. */
function prediction(rand: () => number, i: number): Prediction {
  const pick = <T>(values: readonly T[]) => values[Math.floor(rand() * values.length)]!;
  const numeric: Array<[string, number | null]> = [
    ['income', pick([rand() * 2_000, null, Number.NaN, Number.POSITIVE_INFINITY, -0, 1e300])],
    ['age', pick([Math.floor(rand() * 90), null, 35])],
    ['unknown_feature', rand()],
  ];
  const categorical: Array<[string, string | null]> = [
    ['region', pick([...regions, '', '   ', null, 'mars', 'nörd', '北'])],
    ['tier', pick(['gold', 'basic', 'platinum', null])],
    ['extra', 'x'],
  ];
  if (rand() < 0.3) numeric.reverse();
  if (rand() < 0.3) categorical.reverse();
  return {
    predictionId: `p-${i}-${pick(['', 'ü', '🙂'])}`, modelName: pick(['loans', 'crédit']), modelVersion: 1 + Math.floor(rand() * 3),
    modelDigest: `sha256:${i}`, eventTime: 1_790_000_000_000 + Math.floor(rand() * 1e9),
    numericFeatures: Object.fromEntries(rand() < 0.1 ? [] : numeric),
    categoricalFeatures: Object.fromEntries(categorical),
    predictedClass: pick(['1', '0', null, 'approve']), score: pick([rand(), null, 0, 1]),
    protectedAttributes: pick<Record<string, string>>([{}, { sex: 'f' }, { sex: 'm', age_band: '30-39' }, { 'größe': 'groß' }]),
    groundTruth: pick([null, null, '1', '0']),
  };
}

function viaReader(bytes: Buffer): { header: PredictionHeader; observation: Observation; id: string } {
  const header = reader.header(bytes);
  const observation = emptyObservation(layout);
  reader.features(bytes, header, keys, observation);
  return { header, observation, id: reader.predictionId(bytes, header) };
}

function viaCodec(bytes: Buffer): { prediction: Prediction; observation: Observation } {
  const prediction = codec.decode<Prediction>(bytes).value;
  if (prediction.predictionId === '' || prediction.modelName === '') throw Object.assign(new Error('empty'), { code: 'MONITORING.INVALID_PREDICTION' });
  return { prediction, observation: observe(layout, prediction) };
}

/** What either path made of the message, or the error code it refused it with. */
function outcome(read: () => { observation: Observation }): { ok: Observation } | { code: string } {
  try {
    return { ok: read().observation };
  } catch (error) {
    return { code: (error as { code?: string }).code ?? 'no code' };
  }
}

/** Avro zig-zag varint, for hand-made encodings avsc never writes. */
function varint(n: number): number[] {
  let z = n >= 0 ? n * 2 : -n * 2 - 1;
  const out: number[] = [];
  while (z >= 0x80) {
    out.push((z % 0x80) | 0x80);
    z = Math.floor(z / 0x80);
  }
  out.push(z);
  return out;
}
const str = (s: string) => [...varint(Buffer.byteLength(s)), ...Buffer.from(s)];
const double = (x: number) => {
  const b = Buffer.alloc(8);
  b.writeDoubleLE(x);
  return [...b];
};

describe('PredictionReader: Prediction v1 bytes straight into an observation', () => {
  it('reads what the codec decodes, on 2,000 varied predictions', () => {
    const rand = seededRandom(42);
    for (let i = 0; i < 2_000; i += 1) {
      const sent = prediction(rand, i);
      const bytes = codec.encode('Prediction', sent);
      expect(reader.accepts(bytes)).toBe(true);
      const { header, observation, id } = viaReader(bytes);
      const decoded = viaCodec(bytes);
      expect({ modelName: header.modelName, modelVersion: header.modelVersion, eventTime: header.eventTime, id }).toEqual({
        modelName: sent.modelName, modelVersion: sent.modelVersion, eventTime: sent.eventTime, id: sent.predictionId,
      });
      expect(observation).toEqual(decoded.observation);
    }
  });

  it('reads maps written in blocks with negative counts (allowed by Avro, never written by avsc) as avsc does', () => {
    const body = [
      ...str('p1'), ...str('loans'), ...varint(2), ...str('sha256:x'), ...varint(1_790_000_000_000),
      // numericFeatures: a block of -2 entries with its byte size, then a block of 1, then the end.
      ...varint(-2), ...varint(str('income').length + 1 + 8 + str('age').length + 1), ...str('income'), ...varint(1), ...double(250), ...str('age'), ...varint(0),
      ...varint(1), ...str('age'), ...varint(1), ...double(40), ...varint(0),
      ...varint(1), ...str('region'), ...varint(1), ...str('west'), ...varint(0),
      ...varint(1), ...str('1'), ...varint(1), ...double(0.75),
      ...varint(-1), ...varint(str('sex').length + str('f').length), ...str('sex'), ...str('f'), ...varint(0),
      ...varint(0),
    ];
    const bytes = Buffer.concat([codec.encode('Prediction', prediction(seededRandom(1), 0)).subarray(0, 10), Buffer.from(body)]);
    const { observation } = viaReader(bytes);
    expect(observation).toEqual(viaCodec(bytes).observation);
    expect([...observation.numeric]).toEqual([250, 40]);
    expect(observation.protectedAttributes).toEqual({ sex: 'f' });
  });

  it('reads an event time written in up to 10 bytes, and refuses a longer varint', () => {
    // Given predictions whose event time is written in 10 and in 11 bytes (Avro's longs take at most 10)
    const withEventTime = (varintBytes: number[]) => Buffer.concat([
      codec.encode('Prediction', prediction(seededRandom(1), 0)).subarray(0, 10),
      Buffer.from([...str('p1'), ...str('loans'), ...varint(2), ...str('sha256:x'), ...varintBytes, 0, 0, 0, 0, 0, 0]),
    ]);
    const tenBytes = withEventTime([...new Array<number>(9).fill(0x80), 0x01]);
    // When read, then the 10-byte one is 2^63 / 2 (zig-zag), and the 11-byte one is refused
    expect(viaReader(tenBytes).header.eventTime).toBe(2 ** 62);
    expect(outcome(() => viaReader(withEventTime([...new Array<number>(10).fill(0x80), 0x01])))).toEqual({ code: 'CONTRACTS.MALFORMED_BODY' });
  });

  it('refuses every truncation, trailing bytes and a bad union branch, as the codec does, with a stable code', () => {
    const bytes = codec.encode('Prediction', prediction(seededRandom(7), 1));
    for (let end = 10; end < bytes.length; end += 1) {
      expect(outcome(() => viaReader(bytes.subarray(0, end)))).toEqual({ code: 'CONTRACTS.MALFORMED_BODY' });
      expect(outcome(() => viaCodec(bytes.subarray(0, end)))).toMatchObject({ code: expect.any(String) });
    }
    expect(outcome(() => viaReader(Buffer.concat([bytes, Buffer.from([0])])))).toEqual({ code: 'CONTRACTS.MALFORMED_BODY' });
    const noId = codec.encode('Prediction', { ...prediction(seededRandom(7), 1), predictionId: '' });
    expect(outcome(() => viaReader(noId))).toEqual({ code: 'MONITORING.INVALID_PREDICTION' });
  });

  it('agrees with the codec on 20,000 corrupted messages: both refuse, or both read the same', () => {
    const rand = seededRandom(99);
    let refused = 0;
    for (let i = 0; i < 20_000; i += 1) {
      const bytes = Buffer.from(codec.encode('Prediction', prediction(rand, i)));
      const at = 10 + Math.floor(rand() * (bytes.length - 10));
      bytes[at] = Math.floor(rand() * 256);
      const fast = outcome(() => viaReader(bytes));
      const generic = outcome(() => viaCodec(bytes));
      if ('code' in generic) {
        refused += 1;
        expect(fast).toEqual({ code: expect.any(String) });
      } else expect(fast).toEqual(generic);
    }
    expect(refused).toBeGreaterThan(1_000);
  });

  it('reads messages in place, side by side in one buffer (as a fetch thread hands them over), as it reads each alone', () => {
    // Given 300 predictions packed back to back, each also truncated by 1-3 bytes in a second buffer (the next message's bytes follow it)
    const rand = seededRandom(11);
    const alone = Array.from({ length: 300 }, (_, i) => codec.encode('Prediction', prediction(rand, i)));
    const packed = Buffer.concat(alone);
    const cut = alone.map((bytes, i) => bytes.length - 1 - (i % 3));
    const packedCut = Buffer.concat(alone.map((bytes, i) => bytes.subarray(0, cut[i])).concat([Buffer.alloc(16, 0)]));

    // When each is read where it lies
    let start = 0;
    let cutStart = 0;
    alone.forEach((bytes, i) => {
      const end = start + bytes.length;
      expect(reader.accepts(packed, start, end)).toBe(true);
      const header = reader.header(packed, start, end);
      const observation = emptyObservation(layout);
      const read = outcome(() => {
        reader.features(packed, header, keys, observation);
        return { observation };
      });
      const id = 'ok' in read ? reader.predictionId(packed, header) : '';

      // Then it reads as alone (or is refused with the same code)
      const single = outcome(() => viaReader(bytes));
      expect(read).toEqual(single);
      if ('ok' in single) expect(id).toBe(viaReader(bytes).id);
      // And a truncated one is refused even though the following bytes would make it whole
      const cutEnd = cutStart + cut[i]!;
      expect(outcome(() => {
        const truncatedHeader = reader.header(packedCut, cutStart, cutEnd);
        reader.features(packedCut, truncatedHeader, keys, emptyObservation(layout));
        return { observation };
      })).toEqual({ code: expect.any(String) });
      start = end;
      cutStart = cutEnd;
    });
  });

  it('checks a message of a version nobody monitors without counting it, and leaves other records to the codec', () => {
    const good = codec.encode('Prediction', prediction(seededRandom(3), 2));
    expect(() => reader.features(good, reader.header(good), null, null)).not.toThrow();
    const truncated = good.subarray(0, good.length - 3);
    expect(() => reader.features(truncated, reader.header(truncated), null, null)).toThrow(expect.objectContaining({ code: 'CONTRACTS.MALFORMED_BODY' }));
    expect(reader.accepts(codec.encode('Outcome', { predictionId: 'p', groundTruth: '1', eventTime: 1, modelName: '' }))).toBe(false);
    expect(reader.accepts(Buffer.from('not avro at all'))).toBe(false);
  });
});

describe('PredictionReader: Outcome v1 bytes without decoding them', () => {
  const outcomeOf = (rand: () => number, i: number): Outcome => ({
    predictionId: `p-${i}-${['', 'ü', '🙂'][i % 3]}`, groundTruth: ['1', '0', 'approve', ''][Math.floor(rand() * 4)]!,
    eventTime: 1_790_000_000_000 + Math.floor(rand() * 1e9), modelName: ['', 'loans', 'crédit'][i % 3]!,
  });
  const read = (bytes: Buffer): { id: string; groundTruth: string; eventTime: number } | { code: string } => {
    try {
      const fields = reader.outcome(bytes);
      return { id: bytes.toString('utf8', fields.idStart, fields.idEnd), groundTruth: fields.groundTruth, eventTime: fields.eventTime };
    } catch (error) {
      return { code: (error as { code?: string }).code ?? 'no code' };
    }
  };
  const decoded = (bytes: Buffer): { id: string; groundTruth: string; eventTime: number } | { code: string } => {
    try {
      const { predictionId, groundTruth, eventTime } = codec.decode<Outcome>(bytes).value;
      return predictionId === '' ? { code: 'MONITORING.INVALID_OUTCOME' } : { id: predictionId, groundTruth, eventTime };
    } catch (error) {
      return { code: (error as { code?: string }).code ?? 'no code' };
    }
  };

  it('reads what the codec decodes, and agrees with it on 20,000 corrupted outcomes', () => {
    const rand = seededRandom(5);
    let refused = 0;
    for (let i = 0; i < 2_000; i += 1) {
      const bytes = codec.encode('Outcome', outcomeOf(rand, i));
      expect(reader.acceptsOutcome(bytes)).toBe(true);
      expect(reader.accepts(bytes)).toBe(false);
      expect(read(bytes)).toEqual(decoded(bytes));
    }
    for (let i = 0; i < 20_000; i += 1) {
      const bytes = Buffer.from(codec.encode('Outcome', outcomeOf(rand, i)));
      bytes[10 + Math.floor(rand() * (bytes.length - 10))] = Math.floor(rand() * 256);
      const generic = decoded(bytes);
      if ('code' in generic) {
        refused += 1;
        expect(read(bytes)).toEqual({ code: expect.any(String) });
      } else expect(read(bytes)).toEqual(generic);
    }
    expect(refused).toBeGreaterThan(1_000);
  });

  it('refuses every truncation, trailing bytes and an empty prediction id, with a stable code naming the record', () => {
    const bytes = codec.encode('Outcome', outcomeOf(seededRandom(8), 1));
    for (let end = 10; end < bytes.length; end += 1) expect(read(bytes.subarray(0, end))).toEqual({ code: 'CONTRACTS.MALFORMED_BODY' });
    expect(() => reader.outcome(Buffer.concat([bytes, Buffer.from([0])]))).toThrow(/mgov\.inference\.Outcome v1: trailing data/);
    expect(read(codec.encode('Outcome', { ...outcomeOf(seededRandom(8), 1), predictionId: '' }))).toEqual({ code: 'MONITORING.INVALID_OUTCOME' });
  });

  it('reads an outcome in place among others, and refuses one cut short whatever follows it', () => {
    const rand = seededRandom(9);
    const outcomes = Array.from({ length: 50 }, (_, i) => codec.encode('Outcome', { ...outcomeOf(rand, i), predictionId: `p-${i}` }));
    const packed = Buffer.concat([...outcomes, Buffer.alloc(8)]);
    let start = 0;
    for (const bytes of outcomes) {
      const end = start + bytes.length;
      expect(reader.acceptsOutcome(packed, start, end)).toBe(true);
      const fields = reader.outcome(packed, start, end);
      expect({ id: packed.toString('utf8', fields.idStart, fields.idEnd), groundTruth: fields.groundTruth, eventTime: fields.eventTime }).toEqual(decoded(bytes));
      expect(() => reader.outcome(packed, start, end - 1)).toThrow(expect.objectContaining({ code: 'CONTRACTS.MALFORMED_BODY' }));
      start = end;
    }
  });
});
