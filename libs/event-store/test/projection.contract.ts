import { createCheckpointStore, projectionRunner, START, type Projection } from '../src';
import { streamSummaryProjection, summaryTables } from './stream-summary.projection';
import { dumpTable, eventually, newEvents, untilReadable, type StoreContext } from './test-database';

async function dumpReadModel(ctx: StoreContext): Promise<string[]> {
  return Promise.all(summaryTables(ctx.schema).map(([table, orderBy]) => dumpTable(ctx.db, table, orderBy)));
}

async function appendSample(ctx: StoreContext): Promise<number> {
  await ctx.store.append('model-a', 0, newEvents(3, 'ModelRegistered'));
  await ctx.store.append('model-b', 0, newEvents(4, 'ModelReviewed'));
  await ctx.store.append('model-a', 3, newEvents(5, 'ModelQuarantined'));
  await untilReadable(ctx);
  return 12;
}

/** Invariant 5: read-model writes and the checkpoint commit together; replays change nothing. */
export function projectionContract(ctx: StoreContext): void {
  describe('projections', () => {
    const runnerFor = (projection: Projection = streamSummaryProjection(ctx.schema), batchSize = 5) =>
      projectionRunner(ctx.store, projection, { batchSize });
    const checkpointOf = (projection: Projection) =>
      createCheckpointStore(ctx.schema).load(ctx.db, `projection:${projection.name}:v${projection.version}`);

    it('catches up batch by batch and stores the checkpoint of the last event', async () => {
      const total = await appendSample(ctx);
      const runner = runnerFor();
      await runner.setup();
      expect(await runner.catchUp()).toBe(total);
      const [summary] = await dumpReadModel(ctx);
      expect(JSON.parse(summary)).toEqual([
        { stream_id: 'model-a', last_version: 8, event_count: 8, bytes: '384', last_type: 'ModelQuarantined', last_position: expect.any(String) },
        { stream_id: 'model-b', last_version: 4, event_count: 4, bytes: '192', last_type: 'ModelReviewed', last_position: expect.any(String) },
      ]);
      const all = await ctx.store.readAll(START, 100);
      expect(await checkpointOf(runner.projection)).toEqual({ transactionId: all[11].transactionId, position: all[11].position });
      expect(await runner.catchUp()).toBe(0);
    });

    it('moves neither read model nor checkpoint when a handler throws mid-batch', async () => {
      await appendSample(ctx);
      const good = runnerFor();
      await good.setup();
      await good.runOnce(); // the first 5 events
      const modelBefore = await dumpReadModel(ctx);
      const checkpointBefore = await checkpointOf(good.projection);
      expect(checkpointBefore).not.toEqual(START);

      let handled = 0;
      const failing = streamSummaryProjection(ctx.schema, {
        beforeHandle: () => {
          if (++handled === 3) throw new Error('handler failed on the third event of the batch');
        },
      });
      await expect(runnerFor(failing).runOnce()).rejects.toThrow('third event');
      expect(handled).toBe(3);
      expect(await dumpReadModel(ctx)).toEqual(modelBefore);
      expect(await checkpointOf(failing)).toEqual(checkpointBefore);

      expect(await good.catchUp()).toBe(7);
    });

    it('rebuilds from START to the same read model', async () => {
      const total = await appendSample(ctx);
      const runner = runnerFor();
      await runner.setup();
      await runner.catchUp();
      const expected = await dumpReadModel(ctx);
      await ctx.db.query(`UPDATE ${ctx.schema}.stream_summary SET event_count = 999`);
      await ctx.db.query(`INSERT INTO ${ctx.schema}.stream_summary VALUES ('stray', 1, 1, 1, 'X', 1)`);

      expect(await runner.rebuild()).toBe(total);
      expect(await dumpReadModel(ctx)).toEqual(expected);
    });

    it('leaves an identical read model when every event is replayed a second time', async () => {
      await appendSample(ctx);
      const runner = runnerFor(streamSummaryProjection(ctx.schema), 4);
      await runner.setup();
      await runner.catchUp();
      const once = await dumpReadModel(ctx);

      // Replay the whole log again onto the existing read model (at-least-once delivery).
      await createCheckpointStore(ctx.schema).store(ctx.db, runner.subscriber, START);
      expect(await runner.catchUp()).toBe(12);
      expect(await dumpReadModel(ctx)).toEqual(once);
    });

    it('keeps catching up in the background until stopped', async () => {
      const runner = runnerFor();
      await runner.setup();
      const loop = runner.start({ intervalMs: 50 });
      try {
        await ctx.store.append('model-c', 0, newEvents(2));
        loop.notify();
        await eventually(async () => {
          const rows = await ctx.db.query<{ event_count: number }>(`SELECT event_count FROM ${ctx.schema}.stream_summary`);
          return rows[0]?.event_count === 2 ? true : undefined;
        }, 'the poll loop to project two events');
        await ctx.store.append('model-c', 2, newEvents(1));
        loop.notify();
        await eventually(async () => {
          const rows = await ctx.db.query<{ event_count: number }>(`SELECT event_count FROM ${ctx.schema}.stream_summary`);
          return rows[0]?.event_count === 3 ? true : undefined;
        }, 'the poll loop to project the third event');
      } finally {
        await loop.stop();
      }
    });

    it('hands each event to exactly one of two runners of the same projection', async () => {
      const seen: string[] = [];
      const counting: Projection = {
        name: 'counting',
        version: 1,
        setup: async (tx) => {
          await tx.query(`CREATE TABLE IF NOT EXISTS ${ctx.schema}.counted (event_id uuid NOT NULL)`);
        },
        handle: async (tx, event) => {
          seen.push(event.eventId);
          await tx.query(`INSERT INTO ${ctx.schema}.counted VALUES ($1)`, [event.eventId]);
        },
        reset: async (tx) => {
          await tx.query(`TRUNCATE ${ctx.schema}.counted`);
        },
      };
      const total = await appendSample(ctx);
      const [a, b] = [runnerFor(counting, 2), runnerFor(counting, 3)];
      await a.setup();
      await Promise.all([a.catchUp(), b.catchUp()]);
      const [row] = await ctx.db.query<{ n: string; d: string }>(`SELECT count(*) AS n, count(DISTINCT event_id) AS d FROM ${ctx.schema}.counted`);
      expect(row).toEqual({ n: String(total), d: String(total) });
      expect(new Set(seen).size).toBe(seen.length);
    });
  });
}
