import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEventStore, embeddedDatabase, migrate, verifyChains } from '../src';
import { gate, newEvents } from './test-database';

describe('embedded database (PGlite)', () => {
  it('runs several independent instances in one process', async () => {
    const [one, two] = await Promise.all([embeddedDatabase(), embeddedDatabase('memory://')]);
    try {
      await Promise.all([migrate(one, 'svc'), migrate(two, 'svc')]);
      await createEventStore(one, 'svc').append('s', 0, newEvents(2));
      await createEventStore(two, 'svc').append('s', 0, newEvents(5));
      expect(await createEventStore(one, 'svc').streamVersion('s')).toBe(2);
      expect(await createEventStore(two, 'svc').streamVersion('s')).toBe(5);
    } finally {
      await Promise.all([one.close(), two.close()]);
    }
  });

  it('never interleaves a standalone query with an open transaction on its single session', async () => {
    const db = await embeddedDatabase();
    try {
      await db.query('CREATE TABLE t (n int)');
      const order: string[] = [];
      const insideTransaction = gate();
      const release = gate();
      const transaction = db.transaction(async (tx) => {
        await tx.query('INSERT INTO t VALUES (1)');
        insideTransaction.open();
        await release.opened;
        await tx.query('INSERT INTO t VALUES (2)');
        order.push('transaction committed');
      });
      await insideTransaction.opened;
      const query = db.query<{ n: number }>('SELECT count(*)::int AS n FROM t').then((rows) => {
        order.push('query ran');
        return rows[0].n;
      });
      release.open();
      await transaction;
      expect(await query).toBe(2);
      expect(order).toEqual(['transaction committed', 'query ran']);

      const failed = db.transaction(async (tx) => {
        await tx.query('INSERT INTO t VALUES (3)');
        throw new Error('abandon');
      });
      await expect(failed).rejects.toThrow('abandon');
      expect(await db.query('SELECT n FROM t ORDER BY n')).toEqual([{ n: 1 }, { n: 2 }]);
    } finally {
      await db.close();
    }
  });

  it('keeps the log in a data directory across restarts', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mgov-pglite-'));
    try {
      const first = await embeddedDatabase(dir);
      await migrate(first, 'svc');
      await createEventStore(first, 'svc').append('s', 0, newEvents(3));
      await first.close();

      const second = await embeddedDatabase(dir);
      try {
        await migrate(second, 'svc');
        expect(await createEventStore(second, 'svc').readStream('s')).toHaveLength(3);
        expect(await verifyChains(second, 'svc')).toEqual({ ok: true, events: 3 });
      } finally {
        await second.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
