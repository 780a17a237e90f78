import { chainHash, GENESIS_HASH, verifyChains, type Sql } from '../src';
import { newEvents, type StoreContext } from './test-database';

/** Changes history as a superuser would: with the append-only trigger briefly disabled. */
async function tamper(ctx: StoreContext, statement: string, params: unknown[] = []): Promise<void> {
  await ctx.db.transaction(async (tx: Sql) => {
    await tx.query(`ALTER TABLE ${ctx.schema}.events DISABLE TRIGGER events_append_only`);
    await tx.query(statement, params);
    await tx.query(`ALTER TABLE ${ctx.schema}.events ENABLE TRIGGER events_append_only`);
  });
}

/** Invariant 2: a per-stream hash chain over the exact stored bytes, serialized per stream. */
export function chainContract(ctx: StoreContext): void {
  describe('hash chain', () => {
    it('chains every stream from 32 zero bytes, over the stored bytes, exactly as recomputed in JS', async () => {
      await ctx.store.append('a', 0, newEvents(3));
      await ctx.store.append('b', 0, newEvents(1));
      await ctx.store.append('a', 3, newEvents(2));
      const a = await ctx.store.readStream('a');
      expect(a[0].prevHash.equals(GENESIS_HASH)).toBe(true);
      for (let i = 0; i < a.length; i++) {
        if (i > 0) expect(a[i].prevHash.equals(a[i - 1].hash)).toBe(true);
        expect(chainHash(a[i].prevHash, a[i]).equals(a[i].hash)).toBe(true);
      }
      const [head] = await ctx.db.query<{ version: number; last_hash: Buffer }>(
        `SELECT version, last_hash FROM ${ctx.schema}.streams WHERE stream_id = 'a'`,
      );
      expect(head.version).toBe(5);
      expect(head.last_hash.equals(a[4].hash)).toBe(true);
      expect(await verifyChains(ctx.db, ctx.schema, { pageSize: 2 })).toEqual({ ok: true, events: 6 });
    });

    it('never forks a chain when many writers append to one stream at once', async () => {
      await Promise.all(Array.from({ length: 8 }, () => ctx.store.append('hot', 'any', newEvents(5))));
      const events = await ctx.store.readStream('hot');
      expect(events.map((e) => e.streamVersion)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
      expect(await verifyChains(ctx.db, ctx.schema)).toEqual({ ok: true, events: 40 });
    });

    it('reports an empty log as intact', async () => {
      expect(await verifyChains(ctx.db, ctx.schema)).toEqual({ ok: true, events: 0 });
    });
  });

  describe('verifyChains finds tampering', () => {
    beforeEach(async () => {
      await ctx.store.append('a', 0, newEvents(3));
      await ctx.store.append('b', 0, newEvents(3));
      await ctx.store.append('a', 3, newEvents(3));
    });
    const positionOf = async (stream: string, version: number) =>
      (await ctx.store.readStream(stream, { fromVersion: version, limit: 1 }))[0].position;

    it('reports exactly the position whose data was changed', async () => {
      const target = await positionOf('a', 5);
      await tamper(ctx, `UPDATE ${ctx.schema}.events SET data = $1 WHERE position = $2`, [Buffer.from('forged'), target]);
      expect(await verifyChains(ctx.db, ctx.schema, { pageSize: 2 })).toEqual({
        ok: false,
        firstBroken: { streamId: 'a', streamVersion: 5, position: target, reason: 'hash does not match the stored bytes' },
      });
    });

    it('reports the lowest position when several rows were changed', async () => {
      const early = await positionOf('b', 2);
      const late = await positionOf('a', 6);
      for (const position of [late, early]) {
        await tamper(ctx, `UPDATE ${ctx.schema}.events SET type = 'Forged' WHERE position = $1`, [position]);
      }
      const result = await verifyChains(ctx.db, ctx.schema);
      expect(result).toMatchObject({ ok: false, firstBroken: { streamId: 'b', streamVersion: 2, position: early } });
    });

    it('reports the next event when a row was changed and its own hash recomputed', async () => {
      const target = await positionOf('a', 2);
      await tamper(
        ctx,
        `UPDATE ${ctx.schema}.events SET data = $1,
           hash = sha256(prev_hash || convert_to(event_id::text || '|' || stream_id || '|' || stream_version::text || '|' || type, 'UTF8') || $1)
         WHERE position = $2`,
        [Buffer.from('forged'), target],
      );
      const result = await verifyChains(ctx.db, ctx.schema);
      expect(result).toMatchObject({
        ok: false,
        firstBroken: { streamId: 'a', streamVersion: 3, position: await positionOf('a', 3), reason: expect.stringMatching(/prev_hash/) },
      });
    });

    it('reports a gap when an event in the middle was deleted', async () => {
      await tamper(ctx, `DELETE FROM ${ctx.schema}.events WHERE stream_id = 'b' AND stream_version = 2`);
      const result = await verifyChains(ctx.db, ctx.schema);
      expect(result).toMatchObject({ ok: false, firstBroken: { streamId: 'b', streamVersion: 3, reason: expect.stringMatching(/missing/) } });
    });

    it('reports a stream whose last events were deleted', async () => {
      await tamper(ctx, `DELETE FROM ${ctx.schema}.events WHERE stream_id = 'a' AND stream_version > 4`);
      const result = await verifyChains(ctx.db, ctx.schema);
      expect(result).toMatchObject({ ok: false, firstBroken: { streamId: 'a', streamVersion: 6, reason: expect.stringMatching(/chain head/) } });
    });
  });
}
