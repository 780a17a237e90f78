import { randomBytes, randomUUID } from 'node:crypto';
import {
  createEventStore,
  embeddedDatabase,
  migrate,
  postgresDatabase,
  type Database,
  type EventStore,
  type NewEvent,
} from '../src';

export interface AdapterFixture {
  readonly name: 'postgres' | 'pglite';
  open(): Promise<Database>;
}

export function requireDatabaseUrl(): string {
  const url = process.env.MGOV_DATABASE_URL;
  if (!url) {
    throw new Error(
      'MGOV_DATABASE_URL is not set: *.int.spec.ts need a real PostgreSQL. Run `npm test` ' +
        '(tools/infra/run-with-infra.js starts one) or export MGOV_DATABASE_URL=postgres://…',
    );
  }
  return url;
}

export const postgresFixture: AdapterFixture = {
  name: 'postgres',
  open: () => postgresDatabase(requireDatabaseUrl(), { poolSize: 12, applicationName: 'mgov-event-store-test' }),
};

export const pgliteFixture: AdapterFixture = { name: 'pglite', open: () => embeddedDatabase('memory://') };

export function uniqueSchema(prefix = 'es_test'): string {
  return `${prefix}_${randomBytes(6).toString('hex')}`;
}

export function newEvent(type = 'SomethingHappened', data: Uint8Array = randomBytes(48)): NewEvent {
  return { eventId: randomUUID(), type, data };
}

export function newEvents(count: number, type?: string): NewEvent[] {
  return Array.from({ length: count }, () => newEvent(type));
}

/** A database with a fresh, migrated schema per test, dropped afterwards. */
export interface StoreContext {
  readonly fixture: AdapterFixture;
  readonly db: Database;
  readonly schema: string;
  readonly store: EventStore;
}

export function useStore(fixture: AdapterFixture): StoreContext {
  const state: { db?: Database; schema?: string; store?: EventStore } = {};
  beforeAll(async () => {
    state.db = await fixture.open();
  });
  afterAll(async () => {
    await state.db?.close();
  });
  beforeEach(async () => {
    state.schema = uniqueSchema();
    await migrate(state.db!, state.schema);
    state.store = createEventStore(state.db!, state.schema);
  });
  afterEach(async () => {
    await state.db!.query(`DROP SCHEMA IF EXISTS ${state.schema} CASCADE`);
  });
  return {
    fixture,
    get db() {
      return state.db!;
    },
    get schema() {
      return state.schema!;
    },
    get store() {
      return state.store!;
    },
  };
}

/** Polls `probe` until it returns a value; never asserts on how long that took. */
export async function eventually<T>(probe: () => Promise<T | undefined>, what: string, deadlineMs = 30_000): Promise<T> {
  const deadline = Date.now() + deadlineMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** A promise the test opens by hand. */
export function gate(): { readonly opened: Promise<void>; open(): void } {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open };
}

/** Every row of a table, ordered, as comparable text (bytea as hex). */
export async function dumpTable(db: Database, table: string, orderBy: string): Promise<string> {
  const rows = await db.query(`SELECT * FROM ${table} ORDER BY ${orderBy}`);
  return JSON.stringify(rows, (_key, value: unknown) =>
    value && typeof value === 'object' && (value as { type?: string }).type === 'Buffer'
      ? Buffer.from((value as { data: number[] }).data).toString('hex')
      : value,
  );
}

/**
 * Waits until every event in the schema is below the in-flight fence. Any open transaction in the
 * cluster (another test file running in parallel) holds readAll back until it ends; this keeps
 * tests that count what readAll returns independent of that.
 */
export async function untilReadable(ctx: { readonly db: Database; readonly schema: string }): Promise<void> {
  await eventually(async () => {
    const [row] = await ctx.db.query<{ readable: boolean }>(
      `SELECT coalesce(max(transaction_id) < pg_snapshot_xmin(pg_current_snapshot()), true) AS readable FROM ${ctx.schema}.events`,
    );
    return row.readable ? true : undefined;
  }, 'the events to pass the in-flight fence');
}
