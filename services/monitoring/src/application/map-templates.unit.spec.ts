import { avroCodec, type Prediction } from '@mgov/contracts';
import { emptyObservation, layoutOf, type Observation, observe } from '@mgov/monitoring-domain';
import { profileColumns } from '@mgov/stats';
import { seededRandom } from '@mgov/testing';
import { CategoricalMapTemplate } from './categorical-map-template';
import { NumericMapTemplate } from './numeric-map-template';
import { layoutKeys, PredictionReader } from './prediction-reader';

const codec = avroCodec();
const training = Array.from({ length: 300 }, (_, i) => ({
  income: (i * 37) % 1_000, age: 18 + (i % 60), tenure: i % 11, region: ['north', 'south'][i % 2]!, tier: ['gold', 'basic', 'silver'][i % 3]!,
}));
const layout = layoutOf(profileColumns(training));

/** What the reader makes of the message (a fresh reader and keys per stream), or the code it refused it with. */
function readerOf() {
  const reader = new PredictionReader(codec.writerFingerprint('Prediction', 1), codec.writerFingerprint('Outcome', 1));
  const keys = layoutKeys(layout);
  return (bytes: Buffer): Observation | { code: string } => {
    try {
      const observation = emptyObservation(layout);
      reader.features(bytes, reader.header(bytes), keys, observation);
      return observation;
    } catch (error) {
      return { code: (error as { code?: string }).code ?? 'no code' };
    }
  };
}

function viaCodec(bytes: Buffer): Observation | 'refused' {
  try {
    return observe(layout, codec.decode<Prediction>(bytes).value);
  } catch {
    return 'refused';
  }
}

const CATEGORICAL_ORDER = ['tier', 'channel', 'region'];
const CATEGORIES = ['north', 'south', 'gold', 'basic', 'silver', '', '   ', 'mars', 'nörd', '北', 'a-much-longer-value-than-the-others'];

/** One inference service's predictions: its keys always in the same order, the values varying (odd ones included). */
function fromOneClient(rand: () => number, i: number, keyOrder: readonly string[], categoricalOrder = CATEGORICAL_ORDER): Prediction {
  const value = () => {
    const r = rand();
    if (r < 0.03) return null;
    if (r < 0.05) return [Number.NaN, Number.POSITIVE_INFINITY, -0, 1e300, -1e-300][Math.floor(rand() * 5)]!;
    return rand() * 1_000 - 100;
  };
  return {
    predictionId: `p-${i}`, modelName: 'loans', modelVersion: 1, modelDigest: 'sha256:x', eventTime: 1_790_000_000_000 + i,
    numericFeatures: Object.fromEntries(keyOrder.map((key) => [key, value()])),
    categoricalFeatures: Object.fromEntries(categoricalOrder.map((key) => [key, rand() < 0.03 ? null : CATEGORIES[Math.floor(rand() * CATEGORIES.length)]!])),
    predictedClass: '1', score: rand(), protectedAttributes: { sex: 'f' }, groundTruth: null,
  };
}

/** Counts the maps each template read (every map read otherwise is learnt). */
function templateHits(): { hits: () => { numeric: number; categorical: number }; restore: () => void } {
  const read = { numeric: 0, categorical: 0 };
  const learnt = { numeric: 0, categorical: 0 };
  const spies = [
    jest.spyOn(PredictionReader.prototype, 'features').mockName('features'),
    jest.spyOn(NumericMapTemplate.prototype, 'learnedMap'),
    jest.spyOn(CategoricalMapTemplate.prototype, 'learnedMap'),
  ];
  return {
    hits: () => {
      read.numeric = read.categorical = spies[0]!.mock.calls.length;
      learnt.numeric = spies[1]!.mock.calls.length;
      learnt.categorical = spies[2]!.mock.calls.length;
      return { numeric: read.numeric - learnt.numeric, categorical: read.categorical - learnt.categorical };
    },
    restore: () => spies.forEach((spy) => spy.mockRestore()),
  };
}

describe('Map templates: a client\'s feature maps read by comparing them with the last ones', () => {
  it('reads what the codec decodes from a stream in one key order, most maps through the template', () => {
    // Given one client's 3,000 predictions, its keys in its own order (one the layout does not have), values odd at times
    const rand = seededRandom(5);
    const order = ['tenure', 'unknown', 'income', 'age'];
    const read = readerOf();
    const counted = templateHits();
    try {
      // When each is read, then
      for (let i = 0; i < 3_000; i += 1) {
        const bytes = codec.encode('Prediction', fromOneClient(rand, i, order));
        expect(read(bytes)).toEqual(viaCodec(bytes));
      }
      // Then most were read through the templates (a null changes the bytes' shape, another value does not)
      expect(counted.hits().numeric).toBeGreaterThan(2_000);
      expect(counted.hits().categorical).toBeGreaterThan(2_000);
    } finally {
      counted.restore();
    }
  });

  it('refuses, or reads exactly as the codec does, a map that differs from the template by one byte', () => {
    // Given a template learnt from a clean message before each corrupted one
    const rand = seededRandom(17);
    const order = ['income', 'age', 'tenure'];
    const read = readerOf();
    let refused = 0;
    let readAlike = 0;
    for (let i = 0; i < 10_000; i += 1) {
      const clean = codec.encode('Prediction', fromOneClient(rand, i, order));
      expect(read(clean)).toEqual(viaCodec(clean));
      // When a byte of the next message is changed (most often in its feature maps, where the templates apply)
      const bytes = Buffer.from(codec.encode('Prediction', fromOneClient(rand, i + 1, order)));
      const numericStart = bytes.indexOf(Buffer.from('income')) - 2;
      const categoricalStart = bytes.indexOf(Buffer.from('tier')) - 2;
      const where = rand();
      const at = where < 0.4 ? numericStart + Math.floor(rand() * 45) : where < 0.8 ? categoricalStart + Math.floor(rand() * 40) : 10 + Math.floor(rand() * (bytes.length - 10));
      bytes[at] = Math.floor(rand() * 256);
      // Then the reader agrees with the codec: both refuse, or both read the same
      const generic = viaCodec(bytes);
      const fast = read(bytes);
      if (generic === 'refused') {
        refused += 1;
        expect(fast).toEqual({ code: expect.any(String) });
      } else {
        readAlike += 1;
        expect(fast).toEqual(generic);
      }
    }
    expect(refused).toBeGreaterThan(1_000);
    expect(readAlike).toBeGreaterThan(1_000);
  });

  it('reads maps with a repeated key as avsc does (the last value wins), through the templates too', () => {
    // Given maps whose keys 'age' and 'region' come twice (Avro allows it), the second time null or a value
    const rand = seededRandom(3);
    const read = readerOf();
    const counted = templateHits();
    try {
      for (let i = 0; i < 200; i += 1) {
        const sent = fromOneClient(rand, i, ['income', 'age'], ['region']);
        const bytes = withRepeatedKeys(codec.encode('Prediction', sent), i < 100 ? null : 42, i < 100 ? 'south' : null);
        // When read, then as the codec reads it: the last value of each key
        const decoded = codec.decode<Prediction>(bytes).value;
        expect([decoded.numericFeatures['age'], decoded.categoricalFeatures['region']]).toEqual(i < 100 ? [null, 'south'] : [42, null]);
        expect(read(bytes)).toEqual(viaCodec(bytes));
      }
      expect(counted.hits().numeric).toBeGreaterThan(100);
      expect(counted.hits().categorical).toBeGreaterThan(100);
    } finally {
      counted.restore();
    }
  });

  it('writes nothing and reads nothing when the map is cut short of the template\'s length', () => {
    // Given a template learnt from a map of two doubles
    const template = new NumericMapTemplate();
    const map = Buffer.from([4, 2, 0x61, 2, ...double(1), 2, 0x62, 2, ...double(2), 0]);
    template.startLearning();
    template.learned(4, 0);
    template.learned(15, 1);
    template.learnedMap(map, 0, map.length);
    const numeric = new Float64Array([Number.NaN, Number.NaN]);
    const view = (bytes: Buffer) => new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    // When the same bytes, other doubles, are read, then both values
    const next = Buffer.from([4, 2, 0x61, 2, ...double(7), 2, 0x62, 2, ...double(-3), 0]);
    expect(template.readIfSame(view(next), 0, next, 0, next.length, numeric)).toBe(map.length);
    expect([...numeric]).toEqual([7, -3]);
    // When the map ends a byte early, or its second key differs, then nothing
    numeric.fill(Number.NaN);
    expect(template.readIfSame(view(next), 0, next, 0, next.length - 1, numeric)).toBe(-1);
    const otherKey = Buffer.from(next);
    otherKey[13] = 0x63;
    expect(template.readIfSame(view(otherKey), 0, otherKey, 0, otherKey.length, numeric)).toBe(-1);
    expect([...numeric]).toEqual([Number.NaN, Number.NaN]);
  });
});

function double(x: number): number[] {
  const b = Buffer.alloc(8);
  b.writeDoubleLE(x);
  return [...b];
}

/** The message with a second 'age' entry (`age`, or null) in its numeric map, and a second 'region' (`region`, or null) in its categorical one. */
function withRepeatedKeys(bytes: Buffer, age: number | null, region: string | null): Buffer {
  // Each map is a single block (2 entries, zig-zag 4; 1 entry, 2) ending with a 0 count; 'region' is the categorical map's one key.
  const numericStart = bytes.indexOf(Buffer.from([4, 12, ...Buffer.from('income')]));
  const numericEnd = bytes.indexOf(Buffer.from([0, 2, 12, ...Buffer.from('region')]));
  if (numericStart < 0 || numericEnd < 0) throw new Error('the message is not laid out as expected');
  const categoricalStart = numericEnd + 1;
  const branchAt = categoricalStart + 2 + 'region'.length;
  const categoricalEnd = bytes[branchAt] === 2 ? branchAt + 2 + (bytes[branchAt + 1]! >>> 1) : branchAt + 1;
  const ageEntry = [6, ...Buffer.from('age'), ...(age === null ? [0] : [2, ...double(age)])];
  const regionEntry = [12, ...Buffer.from('region'), ...(region === null ? [0] : [2, Buffer.byteLength(region) * 2, ...Buffer.from(region)])];
  return Buffer.concat([
    bytes.subarray(0, numericStart), Buffer.from([6]), bytes.subarray(numericStart + 1, numericEnd), Buffer.from(ageEntry),
    Buffer.from([0, 4]), bytes.subarray(categoricalStart + 1, categoricalEnd), Buffer.from(regionEntry), bytes.subarray(categoricalEnd),
  ]);
}
