import { type IdKey, idKeyOf, idKeyOfBytes, LabelJoin, type Waiting } from './label-join';
import { restoreLabelJoin, saveLabelJoin } from './label-join-snapshot';

const HOUR = 3_600_000;
const key = (id: string): IdKey => idKeyOf(id, { a: 0, b: 0 });
/** The reader hands out one frozen record per distinct encoding of protected attributes. */
const female = Object.freeze({ sex: 'f' });

function waiting(join: LabelJoin, eventTime: number, extra: Partial<Waiting> = {}): Waiting {
  return { model: join.modelIndex('loans', 3), eventTime, predictedClass: '1', score: 0.8, protectedAttributes: female, ...extra };
}

describe('LabelJoin: outcomes to their predictions, in fixed memory', () => {
  it('hashes an id the same from its string and from its UTF-8 bytes', () => {
    for (const id of ['p1', 'prédiction-ü', '🙂-42', '']) {
      const bytes = Buffer.concat([Buffer.from('xx'), Buffer.from(id, 'utf8'), Buffer.from('yy')]);
      expect(idKeyOfBytes(bytes, 2, bytes.length - 2, { a: 0, b: 0 })).toEqual(key(id));
    }
    expect(key('p1')).not.toEqual(key('p2'));
  });

  it('gives a waiting prediction to its outcome, once', () => {
    const join = new LabelJoin(HOUR, 100);
    expect(join.prediction(key('p1'), waiting(join, 1_000, { score: null }))).toBeNull();
    expect(join.size).toBe(1);
    expect(join.outcome(key('p1'), '0', 2_000)).toEqual({
      modelName: 'loans', modelVersion: 3, eventTime: 1_000, predictedClass: '1', score: null, protectedAttributes: { sex: 'f' },
    });
    expect(join.size).toBe(0);
    // A second outcome for the same prediction finds nothing waiting: it waits itself, and is never counted twice.
    expect(join.outcome(key('p1'), '0', 2_500)).toBeNull();
  });

  it('keeps protected groups that arrive as new objects each time (decoded on the generic path) by their content', () => {
    const join = new LabelJoin(HOUR, 10_000);
    for (let i = 0; i < 6_000; i += 1) join.prediction(key(`p${i}`), waiting(join, i, { protectedAttributes: { sex: i % 2 ? 'f' : 'm', band: 'b' } }));
    expect(join.outcome(key('p5999'), '1', 7_000)?.protectedAttributes).toEqual({ sex: 'f', band: 'b' });
    expect(join.outcome(key('p10'), '1', 7_000)?.protectedAttributes).toEqual({ sex: 'm', band: 'b' });
  });

  it('keeps an outcome that came first until its prediction arrives', () => {
    const join = new LabelJoin(HOUR, 100);
    expect(join.outcome(key('p9'), 'approve', 1_000)).toBeNull();
    expect(join.prediction(key('p9'), waiting(join, 1_100))).toBe('approve');
    expect(join.size).toBe(0);
  });

  it('drops what is older than the horizon, and the oldest when full, counting them as expired', () => {
    const join = new LabelJoin(1_000, 3);
    join.prediction(key('old'), waiting(join, 0));
    join.prediction(key('p1'), waiting(join, 1_500));
    expect(join.expired).toBe(1);
    expect(join.outcome(key('old'), '1', 1_600)).toBeNull();
    join.prediction(key('p2'), waiting(join, 1_600));
    join.prediction(key('p3'), waiting(join, 1_700));
    join.prediction(key('p4'), waiting(join, 1_800));
    expect(join.outcome(key('p4'), '1', 1_900)).not.toBeNull();
    expect(join.outcome(key('p3'), '1', 1_900)).not.toBeNull();
    expect(join.size).toBeLessThanOrEqual(3 + 1);
    expect(join.expired).toBeGreaterThanOrEqual(2);
  });

  it('finds each of 100,000 waiting predictions in a full join, whatever shares a hash bucket', () => {
    const join = new LabelJoin(HOUR, 100_000);
    for (let i = 0; i < 150_000; i += 1) join.prediction(key(`p${i}`), waiting(join, i, { predictedClass: String(i % 7) }));
    expect(join.expired).toBe(50_000);
    const wrong: number[] = [];
    for (let i = 0; i < 150_000; i += 1) {
      const target = join.outcome(key(`p${i}`), '1', 150_000);
      const expected = i >= 50_000 ? String(i % 7) : undefined;
      if (target?.predictedClass !== expected) wrong.push(i);
    }
    expect(wrong).toEqual([]);
  });

  it('saves what is waiting and picks it up again in a new join (a graceful restart)', () => {
    const join = new LabelJoin(HOUR, 1_000);
    for (let i = 0; i < 10; i += 1) join.prediction(key(`p${i}`), waiting(join, 1_000 + i, { predictedClass: i % 2 ? 'yes' : null, score: i % 3 ? i / 10 : null }));
    join.outcome(key('p3'), 'no', 2_000);
    join.outcome(key('early'), 'yes', 2_000);
    const restored = restoreLabelJoin(saveLabelJoin(join), HOUR, 1_000);
    expect(restored.size).toBe(join.size);
    expect(restored.outcome(key('p3'), 'no', 3_000)).toBeNull();
    for (const i of [0, 1, 2, 9]) expect(restored.outcome(key(`p${i}`), 'no', 3_000)).toEqual(join.outcome(key(`p${i}`), 'no', 3_000));
    expect(restored.prediction(key('early'), waiting(restored, 3_000))).toBe('yes');
    expect(() => restoreLabelJoin(Buffer.concat([Buffer.from([12, 0, 0, 0]), Buffer.from('{"format":9}')]), HOUR, 10)).toThrow(/format/);
  });
});
