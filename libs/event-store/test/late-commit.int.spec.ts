import { checkpointAfter, START, type Checkpoint, type NewEvent } from '../src';
import { readToEnd } from './read-all.contract';
import { eventually, gate, newEvent, newEvents, postgresFixture, useStore } from './test-database';

/** Invariant 3 with real concurrency: a reader never skips an event that commits late. */
describe('reading the global log while transactions commit out of order (PostgreSQL)', () => {
  const ctx = useStore(postgresFixture);

  it('does not pass an open transaction that holds a lower position, and sees every event once after it commits', async () => {
    const a = newEvent('WrittenByA');
    const b = newEvent('WrittenByB');
    const appendedByA = gate();
    const commitA = gate();
    const writerA = ctx.db.transaction(async (tx) => {
      const result = await ctx.store.append('stream-a', 0, [a], tx);
      appendedByA.open();
      await commitA.opened;
      return result;
    });
    await appendedByA.opened;
    const writerB = await ctx.store.append('stream-b', 0, [b]);

    // B is committed and visible to plain SELECTs, but A (lower position) is still in flight.
    const [visible] = await ctx.db.query<{ n: string }>(`SELECT count(*) AS n FROM ${ctx.schema}.events`);
    expect(visible.n).toBe('1');
    const early = await readToEnd(ctx, START, 10);
    expect(early.events.map((e) => e.eventId)).not.toContain(b.eventId); // the fence holds B back

    commitA.open();
    const resultA = await writerA;
    expect(BigInt(resultA.positions[0])).toBeLessThan(BigInt(writerB.positions[0]));

    const seen = [...early.events];
    let checkpoint: Checkpoint = early.last;
    await eventually(async () => {
      const next = await readToEnd(ctx, checkpoint, 10);
      seen.push(...next.events);
      checkpoint = next.last;
      return seen.length >= 2 ? true : undefined;
    }, 'both events to pass the fence');
    expect(seen.map((e) => e.eventId)).toEqual([a.eventId, b.eventId]);
    expect(await ctx.store.readAll(checkpoint, 10)).toEqual([]);
  });

  it('delivers every event exactly once to a reader running alongside many writers with overlapping transactions', async () => {
    const committed: string[] = [];
    let writing = true;
    const pause = () => new Promise((resolve) => setTimeout(resolve, Math.floor(Math.random() * 4)));

    const writers = Array.from({ length: 6 }, (_, w) =>
      (async () => {
        for (let i = 0; i < 12; i++) {
          const events: NewEvent[] = newEvents(1 + (i % 3));
          await ctx.db.transaction(async (tx) => {
            await pause();
            await ctx.store.append(`writer-${w % 3}`, 'any', events, tx);
            await pause();
          });
          committed.push(...events.map((e) => e.eventId));
        }
      })(),
    );
    const seen: string[] = [];
    let checkpoint = START;
    const readPage = async () => {
      const page = await ctx.store.readAll(checkpoint, 5);
      seen.push(...page.map((e) => e.eventId));
      if (page.length > 0) checkpoint = checkpointAfter(page[page.length - 1]);
      return page.length;
    };
    const reader = (async () => {
      while (writing) if ((await readPage()) === 0) await pause();
    })();
    await Promise.all(writers);
    writing = false;
    await reader;
    // Any other open transaction in the cluster may still hold the fence back for a moment.
    await eventually(async () => ((await readPage()) === 0 && seen.length >= committed.length ? true : undefined), 'the reader to drain');

    expect(new Set(seen).size).toBe(seen.length);
    expect([...seen].sort()).toEqual([...committed].sort());
  });
});
