import { randomBytes } from 'node:crypto';
import { embeddedDatabase, postgresDatabase, type Database } from '@mgov/event-store';
import { migrateInbox, processOnce } from '../src';

const databases: Array<[string, () => Promise<Database>]> = [
  ['PGlite', () => embeddedDatabase('memory://')],
  ['PostgreSQL', () => postgresDatabase(requireUrl(), { applicationName: 'mgov-messaging-test' })],
];

describe.each(databases)('inbox on %s', (_name, openDatabase) => {
  let db: Database;
  let schema: string;
  const applied = async () => (await db.query<{ n: number }>(`SELECT n FROM ${schema}.tally`))[0].n;
  const apply = (eventId: string, fail = false) =>
    processOnce(db, { schema, consumer: 'tally', eventId }, async (tx) => {
      await tx.query(`UPDATE ${schema}.tally SET n = n + 1`);
      if (fail) throw new Error('the projection failed after writing');
    });

  beforeAll(async () => {
    db = await openDatabase();
  });
  afterAll(() => db.close());
  beforeEach(async () => {
    schema = `inbox_${randomBytes(5).toString('hex')}`;
    await migrateInbox(db, schema);
    await migrateInbox(db, schema);
    await db.query(`CREATE TABLE ${schema}.tally (n int NOT NULL)`);
    await db.query(`INSERT INTO ${schema}.tally VALUES (0)`);
  });
  afterEach(() => db.query(`DROP SCHEMA ${schema} CASCADE`));

  it('runs the work for the first delivery only', async () => {
    expect(await apply('e-1')).toBe(true);
    expect(await apply('e-1')).toBe(false);
    expect(await apply('e-2')).toBe(true);
    expect(await applied()).toBe(2);
  });

  it('forgets the mark when the work fails, so the retry applies it', async () => {
    await expect(apply('e-1', true)).rejects.toThrow('the projection failed after writing');
    expect(await applied()).toBe(0);
    expect(await apply('e-1')).toBe(true);
    expect(await applied()).toBe(1);
  });

  it('applies concurrent duplicates once', async () => {
    const results = await Promise.all(Array.from({ length: 8 }, () => apply('e-1')));
    expect(results.filter(Boolean)).toHaveLength(1);
    expect(await applied()).toBe(1);
  });

  it('keeps marks per consumer', async () => {
    await apply('e-1');
    expect(await processOnce(db, { schema, consumer: 'other', eventId: 'e-1' }, async () => undefined)).toBe(true);
  });
});

function requireUrl(): string {
  const url = process.env.MGOV_DATABASE_URL;
  if (!url) throw new Error('MGOV_DATABASE_URL is not set: run `npm test` (it starts PostgreSQL) or export it');
  return url;
}
