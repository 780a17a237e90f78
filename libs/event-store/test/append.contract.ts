import {
  AppendOnlyViolationError,
  ConcurrencyConflictError,
  DuplicateEventError,
  EventStoreErrorCode,
  InvalidEventError,
  migrate,
} from '../src';
import { newEvent, newEvents, type StoreContext } from './test-database';

async function countEvents(ctx: StoreContext): Promise<number> {
  const [row] = await ctx.db.query<{ n: string }>(`SELECT count(*) AS n FROM ${ctx.schema}.events`);
  return Number(row.n);
}

/** Invariants 1 and 2: optimistic concurrency, and a log that only ever grows. */
export function appendContract(ctx: StoreContext): void {
  describe('append and readStream', () => {
    it('appends to a new stream and reads back the exact bytes, with the same JS types on every adapter', async () => {
      const events = [newEvent('ModelRegistered', Buffer.from('{"a":1}')), newEvent('ModelTagged', new Uint8Array([0, 255, 7]))];
      const result = await ctx.store.append('model-1', 0, events);
      expect(result.nextVersion).toBe(2);
      expect(result.positions).toHaveLength(2);
      expect(typeof result.positions[0]).toBe('string');
      expect(BigInt(result.positions[1])).toBeGreaterThan(BigInt(result.positions[0]));

      const read = await ctx.store.readStream('model-1');
      expect(read.map((e) => [e.streamVersion, e.eventId, e.type])).toEqual([
        [1, events[0].eventId, 'ModelRegistered'],
        [2, events[1].eventId, 'ModelTagged'],
      ]);
      expect(read[0].data).toBeInstanceOf(Buffer);
      expect(read[0].data.equals(Buffer.from('{"a":1}'))).toBe(true);
      expect([...read[1].data]).toEqual([0, 255, 7]);
      expect(read[0].position).toBe(result.positions[0]);
      expect(read[0].transactionId).toBe(result.transactionId);
      expect(typeof read[0].transactionId).toBe('string');
      expect(read[0].recordedAt).toBeInstanceOf(Date);
      expect(read[0].hash).toBeInstanceOf(Buffer);
      expect(read[0].prevHash).toBeInstanceOf(Buffer);
      expect(await ctx.store.streamVersion('model-1')).toBe(2);
      expect(await ctx.store.streamVersion('nothing-here')).toBe(0);
    });

    it('appends to several streams in one call, each at its expected version, results in order', async () => {
      await ctx.store.append('b', 0, newEvents(2));
      const results = await ctx.store.appendMany([
        { streamId: 'a', expectedVersion: 0, events: newEvents(1) },
        { streamId: 'b', expectedVersion: 2, events: newEvents(3) },
        { streamId: 'c', expectedVersion: 'any', events: newEvents(2) },
      ]);
      expect(results.map((r) => r.nextVersion)).toEqual([1, 5, 2]);
      expect(new Set(results.map((r) => r.transactionId)).size).toBe(1);
      expect((await ctx.store.readStream('b')).map((e) => e.streamVersion)).toEqual([1, 2, 3, 4, 5]);
      expect((await ctx.store.readStream('b'))[2]!.prevHash.equals((await ctx.store.readStream('b'))[1]!.hash)).toBe(true);
      expect(await ctx.store.appendMany([])).toEqual([]);
    });

    it('appends to several streams all or nothing: one stale expected version writes none of them', async () => {
      await ctx.store.append('b', 0, newEvents(2));
      const before = await countEvents(ctx);
      const error = await ctx.store.appendMany([
        { streamId: 'a', expectedVersion: 0, events: newEvents(1) },
        { streamId: 'b', expectedVersion: 1, events: newEvents(1) },
      ]).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ConcurrencyConflictError);
      expect(error).toMatchObject({ streamId: 'b', expected: 1, actual: 2 });
      expect(await countEvents(ctx)).toBe(before);
      expect(await ctx.store.streamVersion('a')).toBe(0);
    });

    it('reads a stream from a version', async () => {
      await ctx.store.append('s', 0, newEvents(5));
      expect((await ctx.store.readStream('s', { fromVersion: 4 })).map((e) => e.streamVersion)).toEqual([4, 5]);
      expect((await ctx.store.readStream('s', { fromVersion: 2, limit: 2 })).map((e) => e.streamVersion)).toEqual([2, 3]);
    });

    it('rejects a stale expected version with ConcurrencyConflictError and writes nothing', async () => {
      await ctx.store.append('s', 0, newEvents(2));
      const before = await ctx.store.readStream('s');

      const error = await ctx.store.append('s', 1, newEvents(3)).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ConcurrencyConflictError);
      expect(error).toMatchObject({ code: EventStoreErrorCode.ConcurrencyConflict, streamId: 's', expected: 1, actual: 2 });

      expect(await ctx.store.readStream('s')).toEqual(before);
      expect(await ctx.store.streamVersion('s')).toBe(2);
      expect(await countEvents(ctx)).toBe(2);
    });

    it('treats expected version 0 as "the stream must not exist yet"', async () => {
      await ctx.store.append('s', 0, newEvents(1));
      await expect(ctx.store.append('s', 0, newEvents(1))).rejects.toMatchObject({ expected: 0, actual: 1 });
      await expect(ctx.store.append('fresh', 3, newEvents(1))).rejects.toMatchObject({ expected: 3, actual: 0 });
      expect(await ctx.store.streamVersion('fresh')).toBe(0);
      expect(await countEvents(ctx)).toBe(1);
    });

    it("skips the check for 'any'", async () => {
      await ctx.store.append('s', 'any', newEvents(2));
      expect((await ctx.store.append('s', 'any', newEvents(1))).nextVersion).toBe(3);
    });

    it('lets exactly one of two writers with the same expected version win', async () => {
      await ctx.store.append('s', 0, newEvents(1));
      const outcomes = await Promise.allSettled([ctx.store.append('s', 1, newEvents(2)), ctx.store.append('s', 1, newEvents(3))]);
      const won = outcomes.filter((o) => o.status === 'fulfilled');
      const lost = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
      expect(won).toHaveLength(1);
      expect(lost).toHaveLength(1);
      expect(lost[0].reason).toBeInstanceOf(ConcurrencyConflictError);
      const versions = (await ctx.store.readStream('s')).map((e) => e.streamVersion);
      expect(versions).toEqual(Array.from({ length: versions.length }, (_, i) => i + 1));
      expect([3, 4]).toContain(versions.length);
    });

    it('creates a new stream once when two writers race to create it', async () => {
      const outcomes = await Promise.allSettled([ctx.store.append('new', 0, newEvents(1)), ctx.store.append('new', 0, newEvents(1))]);
      expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
      expect(await countEvents(ctx)).toBe(1);
    });

    it('refuses a duplicate event id and writes nothing of that batch', async () => {
      const event = newEvent();
      await ctx.store.append('a', 0, [event]);
      const error = await ctx.store.append('b', 0, [newEvent(), event]).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(DuplicateEventError);
      expect(error).toMatchObject({ code: EventStoreErrorCode.DuplicateEvent });
      expect(await ctx.store.streamVersion('b')).toBe(0);
      expect(await countEvents(ctx)).toBe(1);
    });

    it('refuses an empty batch, and stream ids or types that are empty or contain "|"', async () => {
      await expect(ctx.store.append('s', 0, [])).rejects.toBeInstanceOf(InvalidEventError);
      await expect(ctx.store.append('a|b', 0, newEvents(1))).rejects.toBeInstanceOf(InvalidEventError);
      await expect(ctx.store.append('s', 0, [newEvent('A|B')])).rejects.toBeInstanceOf(InvalidEventError);
      await expect(ctx.store.append('s', -1, newEvents(1))).rejects.toMatchObject({ code: EventStoreErrorCode.InvalidEvent });
      expect(await countEvents(ctx)).toBe(0);
    });

    it('appends inside the caller transaction: both commit, or neither', async () => {
      await ctx.db.transaction(async (tx) => {
        await ctx.store.append('a', 0, newEvents(1), tx);
        await ctx.store.append('a', 1, newEvents(1), tx);
        await ctx.store.append('b', 0, newEvents(1), tx);
      });
      expect(await ctx.store.streamVersion('a')).toBe(2);

      const failure = new Error('the command handler failed after appending');
      await expect(
        ctx.db.transaction(async (tx) => {
          await ctx.store.append('c', 0, newEvents(2), tx);
          throw failure;
        }),
      ).rejects.toBe(failure);
      expect(await ctx.store.streamVersion('c')).toBe(0);
      expect(await countEvents(ctx)).toBe(3);
    });

    it('keeps every event when the schema is migrated again', async () => {
      await ctx.store.append('s', 0, newEvents(2));
      await migrate(ctx.db, ctx.schema);
      await migrate(ctx.db, ctx.schema);
      expect(await ctx.store.readStream('s')).toHaveLength(2);
      expect((await ctx.store.append('s', 2, newEvents(1))).nextVersion).toBe(3);
    });
  });

  describe('append-only log (invariant 2)', () => {
    it.each([
      ['UPDATE', (s: string) => `UPDATE ${s}.events SET type = 'Rewritten'`],
      ['UPDATE of no row', (s: string) => `UPDATE ${s}.events SET type = 'Rewritten' WHERE false`],
      ['DELETE', (s: string) => `DELETE FROM ${s}.events`],
      ['TRUNCATE', (s: string) => `TRUNCATE ${s}.events`],
      ['TRUNCATE CASCADE', (s: string) => `TRUNCATE ${s}.events CASCADE`],
    ])('the database rejects %s, even for the owner', async (_name, statement) => {
      await ctx.store.append('s', 0, newEvents(2));
      const before = await ctx.store.readStream('s');
      const error = await ctx.db.query(statement(ctx.schema)).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(AppendOnlyViolationError);
      expect(error).toMatchObject({ code: EventStoreErrorCode.AppendOnly });
      expect((error as Error).message).toMatch(/is not allowed: the event log is append-only/);
      expect(await ctx.store.readStream('s')).toEqual(before);
    });
  });
}
