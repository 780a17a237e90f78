import { checkpointAfter, createCheckpointStore, START, type Checkpoint, type StoredEvent } from '../src';
import { newEvents, untilReadable, type StoreContext } from './test-database';

/** Reads the whole log page by page from `after`, the way a subscriber does. */
export async function readToEnd(ctx: StoreContext, after: Checkpoint, pageSize: number): Promise<{ events: StoredEvent[]; last: Checkpoint }> {
  const events: StoredEvent[] = [];
  let last = after;
  for (;;) {
    const page = await ctx.store.readAll(last, pageSize);
    events.push(...page);
    if (page.length === 0) return { events, last };
    last = checkpointAfter(page[page.length - 1]);
  }
}

/** Invariant 3 on one session: global order is (transaction id, position); paging skips nothing. */
export function readAllContract(ctx: StoreContext): void {
  describe('readStreams', () => {
    it('reads several streams whole in one call, each in its own order, as readStream reads each', async () => {
      // Given three streams with events appended in turn, and a stream id nobody wrote to
      const prefix = `many-${Date.now()}`;
      for (let i = 0; i < 6; i++) await ctx.store.append(`${prefix}-${i % 3}`, 'any', newEvents(1 + (i % 2)));
      const ids = [`${prefix}-2`, `${prefix}-0`, `${prefix}-none`, `${prefix}-1`];

      // When they are read together
      const read = await ctx.store.readStreams(ids);

      // Then each is what reading it alone gives, and the empty one is empty
      expect([...read.keys()]).toEqual(ids);
      for (const id of ids) expect(read.get(id)).toEqual(await ctx.store.readStream(id));
      expect(read.get(`${prefix}-1`)!.map((e) => e.streamVersion)).toEqual([1, 2, 3]);
      expect(read.get(`${prefix}-none`)).toEqual([]);
      expect((await ctx.store.readStreams([])).size).toBe(0);
    });
  });

  describe('readAll', () => {
    it('returns every committed event once, in (transaction id, position) order, across pages', async () => {
      const appended: string[] = [];
      for (let i = 0; i < 7; i++) {
        const events = newEvents(1 + (i % 3));
        await ctx.store.append(`s-${i % 3}`, 'any', events);
        appended.push(...events.map((e) => e.eventId));
      }
      await untilReadable(ctx);
      const { events, last } = await readToEnd(ctx, START, 4);
      expect(events.map((e) => e.eventId)).toEqual(appended);
      const keys = events.map((e) => [BigInt(e.transactionId), BigInt(e.position)] as const);
      for (let i = 1; i < keys.length; i++) {
        const [[t0, p0], [t1, p1]] = [keys[i - 1], keys[i]];
        expect(t1 > t0 || (t1 === t0 && p1 > p0)).toBe(true);
      }
      expect(last).toEqual(checkpointAfter(events[events.length - 1]));
      expect(await ctx.store.readAll(last, 10)).toEqual([]);
    });

    it('sees an event appended in an open transaction only once that transaction commits', async () => {
      await ctx.store.append('s', 0, newEvents(1));
      const rolledBack = await ctx.db
        .transaction(async (tx) => {
          await ctx.store.append('s', 1, newEvents(1), tx);
          expect(await ctx.store.readAll(START, 10, tx)).toHaveLength(1);
          throw new Error('roll back');
        })
        .catch((e: unknown) => e);
      expect(rolledBack).toEqual(new Error('roll back'));
      await untilReadable(ctx);
      expect(await ctx.store.readAll(START, 10)).toHaveLength(1);
    });
  });

  describe('checkpointStore', () => {
    it('starts at START and stores a checkpoint per subscriber', async () => {
      const checkpoints = createCheckpointStore(ctx.schema);
      expect(await checkpoints.load(ctx.db, 'relay')).toEqual(START);
      await ctx.store.append('s', 0, newEvents(2));
      await untilReadable(ctx);
      const [, second] = await ctx.store.readAll(START, 10);
      await checkpoints.store(ctx.db, 'relay', checkpointAfter(second));
      expect(await checkpoints.load(ctx.db, 'relay')).toEqual({ transactionId: second.transactionId, position: second.position });
      expect(await checkpoints.load(ctx.db, 'other')).toEqual(START);
      expect(await ctx.db.transaction((tx) => checkpoints.claim(tx, 'relay'))).toEqual(checkpointAfter(second));
      expect(await ctx.db.transaction((tx) => checkpoints.claim(tx, 'new'))).toEqual(START);
    });
  });
}
