import { type IdKey, idKeyOf, idKeyOfBytes, LabelJoin, type Waiting } from './label-join';
import { seededRandom as seeded } from '@mgov/testing';
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
  describe('a batch undone (its transaction failed, and it will be delivered again)', () => {
    /** Two predictions and an early outcome waiting before the batch. */
    function joinBeforeTheBatch(capacity = 100): LabelJoin {
      const join = new LabelJoin(HOUR, capacity);
      join.prediction(key('p1'), waiting(join, 1_000));
      join.prediction(key('p2'), waiting(join, 1_001));
      join.outcome(key('e1'), '1', 1_002);
      return join;
    }
    /** Adds two predictions, joins a waiting one, uses the early outcome, and adds then joins one more. */
    function theBatch(join: LabelJoin): unknown[] {
      return [
        join.prediction(key('p3'), waiting(join, 1_010)),
        join.prediction(key('p4'), waiting(join, 1_011)),
        join.outcome(key('p1'), '0', 1_012),
        join.prediction(key('e1'), waiting(join, 1_013)),
        join.prediction(key('p5'), waiting(join, 1_014)),
        join.outcome(key('p5'), '1', 1_015),
      ];
    }

    it('leaves the join exactly as it was before the batch, so the batch again gives the same answers', () => {
      // Given a join, saved as it is, and a batch done on it
      const join = joinBeforeTheBatch();
      const before = saveLabelJoin(join);
      join.begin();
      const first = theBatch(join);
      expect(first[2]).toMatchObject({ eventTime: 1_000 });
      expect(first[3]).toBe('1');

      // When the batch is undone
      expect(join.rollback()).toBe(true);

      // Then the join is byte for byte what it was, and the same batch gives the same answers again
      expect(saveLabelJoin(join).equals(before)).toBe(true);
      expect(join.size).toBe(3);
      join.begin();
      expect(theBatch(join)).toEqual(first);
      join.commit();
      expect(join.size).toBe(3);
      // Committed: nothing is undone any more.
      expect(join.rollback()).toBe(true);
      expect(join.outcome(key('p3'), '1', 2_000)).toMatchObject({ eventTime: 1_010 });
    });

    it('brings back what the batch dropped to make room in a full join, and what its slots held', () => {
      // Given a full join of capacity 4
      const join = new LabelJoin(HOUR, 4);
      for (const id of ['a', 'b', 'c', 'd']) join.prediction(key(id), waiting(join, 1_000, { score: id.charCodeAt(0) / 1000 }));
      const before = saveLabelJoin(join);

      // When a batch adds 2 (dropping the 2 oldest into their slots), joins one, and is undone
      join.begin();
      join.prediction(key('e'), waiting(join, 1_001));
      join.prediction(key('f'), waiting(join, 1_002));
      join.outcome(key('c'), '1', 1_003);
      expect(join.expired).toBe(2);
      expect(join.rollback()).toBe(true);

      // Then the join is what it was: all four wait, with what they held, none expired
      expect(saveLabelJoin(join).equals(before)).toBe(true);
      expect(join.expired).toBe(0);
      expect(join.outcome(key('e'), '1', 2_000)).toBeNull();
      for (const id of ['a', 'b', 'c', 'd']) expect(join.outcome(key(id), '1', 2_000)?.score).toBe(id.charCodeAt(0) / 1000);
    });

    it('answers after an undo as a join that never saw the batch (random batches, full joins, expiry, early outcomes)', () => {
      const random = seeded(42);
      const pick = <T>(values: readonly T[]) => values[Math.floor(random() * values.length)]!;
      let undone = 0;
      for (let round = 0; round < 300; round += 1) {
        // Given a small join after some traffic, and a twin restored from its snapshot
        const capacity = 2 + Math.floor(random() * 12);
        const join = new LabelJoin(50, capacity);
        let time = 0;
        const traffic = (target: LabelJoin, ops: Array<[boolean, string, number]>) => ops.map(([isPrediction, id, at]) => (isPrediction
          ? target.prediction(key(id), waiting(target, at, { predictedClass: id.length % 2 ? 'yes' : null }))
          : target.outcome(key(id), 'no', at)));
        const ops = () => Array.from({ length: Math.floor(random() * 2 * capacity) }, (): [boolean, string, number] => [random() < 0.7, `p${Math.floor(random() * 3 * capacity)}`, (time += pick([0, 1, 2, 30]))]);
        traffic(join, ops());
        const twin = restoreLabelJoin(saveLabelJoin(join), 50, capacity);
        const before = saveLabelJoin(join);

        // When a batch runs and is undone (unless it alone overflowed the join), then runs again
        const batch = ops();
        join.begin();
        traffic(join, batch);
        if (!join.rollback()) continue;
        undone += 1;
        expect(saveLabelJoin(join).equals(before)).toBe(true);

        // Then it answers as the twin does, the batch and what follows alike
        const after = ops();
        expect(traffic(join, [...batch, ...after])).toEqual(traffic(twin, [...batch, ...after]));
        expect(saveLabelJoin(join).equals(saveLabelJoin(twin))).toBe(true);
      }
      // Most batches fit in the join (those that do not are the overflow case below).
      expect(undone).toBeGreaterThan(100);
    });

    it('undoes a large batch on a full join, wrapping round it (the copies of what it overwrote are taken in chunks)', () => {
      // Given a full join of 5,000 whose oldest entry is not in its first slot
      const join = new LabelJoin(HOUR, 5_000);
      for (let i = 0; i < 7_000; i += 1) join.prediction(key(`old${i}`), waiting(join, i, { score: i }));
      join.outcome(key('old2500'), '1', 7_000);
      const before = saveLabelJoin(join);

      // When a batch of 3,500 predictions and some of their outcomes and older ones runs, and is undone
      join.begin();
      for (let i = 0; i < 3_500; i += 1) {
        join.prediction(key(`new${i}`), waiting(join, 8_000 + i));
        if (i % 7 === 0) join.outcome(key(`new${i}`), '1', 8_000 + i);
        if (i % 11 === 0) join.outcome(key(`old${6_999 - i}`), '1', 8_000 + i);
      }
      expect(join.rollback()).toBe(true);

      // Then nothing of it is left, and every old entry waits with what it held
      expect(saveLabelJoin(join).equals(before)).toBe(true);
      expect(join.outcome(key('old1999'), '1', 9_000)).toBeNull();
      expect(join.outcome(key('old2500'), '1', 9_000)).toBeNull();
      expect(join.outcome(key('old2000'), '1', 9_000)?.score).toBe(2_000);
      expect(join.outcome(key('old6999'), '1', 9_000)?.score).toBe(6_999);
      expect(join.outcome(key('new1'), '1', 9_000)).toBeNull();
    });

    it('undoes overlapping batches (the next counted while one is stored): all not committed, or the newer once the older is', () => {
      // Given a join, and two batches begun one after the other without a commit between
      const join = joinBeforeTheBatch();
      const before = saveLabelJoin(join);
      join.begin();
      join.prediction(key('q1'), waiting(join, 1_020));
      join.outcome(key('p2'), '1', 1_021);
      const afterFirst = saveLabelJoin(join);
      join.begin();
      theBatch(join);

      // When both are undone, Then the join is as before the first
      expect(join.rollback()).toBe(true);
      expect(saveLabelJoin(join).equals(before)).toBe(true);

      // When the two run again, the first is committed (stored), and then the rest is undone
      join.begin();
      join.prediction(key('q1'), waiting(join, 1_020));
      join.outcome(key('p2'), '1', 1_021);
      join.begin();
      theBatch(join);
      join.commit();
      expect(join.rollback()).toBe(true);

      // Then only the second is undone: the join is as the first left it
      expect(saveLabelJoin(join).equals(afterFirst)).toBe(true);
      expect(join.outcome(key('q1'), '1', 2_000)).toMatchObject({ eventTime: 1_020 });
    });

    it('undoes overlapping batches on a full join, each bringing back what it overwrote (random batches)', () => {
      const random = seeded(7);
      for (let round = 0; round < 200; round += 1) {
        const capacity = 3 + Math.floor(random() * 10);
        const join = new LabelJoin(1_000, capacity);
        let time = 0;
        const ops = (n: number) => {
          for (let i = 0; i < n; i += 1) {
            const id = `p${Math.floor(random() * 3 * capacity)}`;
            if (random() < 0.7) join.prediction(key(id), waiting(join, (time += 1), { score: time }));
            else join.outcome(key(id), '1', (time += 1));
          }
        };
        ops(capacity);
        // Given a first batch stored, a second counted and being stored, and a third counted after it
        join.begin();
        ops(Math.floor(random() * capacity));
        join.commit();
        const stored = saveLabelJoin(join);
        const expired = join.expired;
        join.begin();
        ops(Math.floor(random() * capacity));
        join.begin();
        ops(Math.floor(random() * capacity));
        // When the second's transaction fails: everything not stored is undone
        if (!join.rollback()) continue;
        // Then the join is what the stored batches left
        expect(saveLabelJoin(join).equals(stored)).toBe(true);
        expect(join.expired).toBe(expired);
      }
    });

    it('says so when a batch alone overflowed the join, which is then left as it is', () => {
      const join = new LabelJoin(HOUR, 3);
      join.prediction(key('old'), waiting(join, 1_000));
      join.begin();
      for (let i = 0; i < 5; i += 1) join.prediction(key(`p${i}`), waiting(join, 1_001 + i));
      expect(join.rollback()).toBe(false);
      expect(join.size).toBe(3);
      expect(join.outcome(key('p4'), '1', 2_000)).not.toBeNull();
    });
  });
});
