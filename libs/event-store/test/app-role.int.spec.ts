import {
  createAppRole,
  createEventStore,
  EventStoreErrorCode,
  migrate,
  PermissionDeniedError,
  postgresDatabase,
  projectionRunner,
  START,
  type Database,
} from '../src';
import { streamSummaryProjection } from './stream-summary.projection';
import { newEvents, postgresFixture, requireDatabaseUrl, uniqueSchema, untilReadable } from './test-database';

function urlAs(role: string): string {
  const url = new URL(requireDatabaseUrl());
  url.username = role;
  url.password = '';
  return url.toString();
}

describe('the application role (invariant 2, on PostgreSQL)', () => {
  let admin: Database;
  let app: Database;
  let schema: string;
  let role: string;

  beforeEach(async () => {
    admin = await postgresFixture.open();
    schema = uniqueSchema();
    role = `${schema}_app`;
    await migrate(admin, schema);
    await createAppRole(admin, schema, role);
    await createAppRole(admin, schema, role); // idempotent
    app = await postgresDatabase(urlAs(role), { poolSize: 2 });
  });

  afterEach(async () => {
    await app.close();
    await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await admin.query(`DROP ROLE IF EXISTS ${role}`);
    await admin.close();
  });

  it('can append, read and run projections', async () => {
    const store = createEventStore(app, schema);
    expect((await store.append('s', 0, newEvents(3))).nextVersion).toBe(3);
    expect(await store.readStream('s')).toHaveLength(3);
    await untilReadable({ db: app, schema });
    expect(await store.readAll(START, 10)).toHaveLength(3);
    const runner = projectionRunner(store, streamSummaryProjection(schema));
    await runner.setup();
    expect(await runner.catchUp()).toBe(3);
    const [who] = await app.query<{ current_user: string }>('SELECT current_user');
    expect(who.current_user).toBe(role);
  });

  it.each([
    ['UPDATE', (s: string) => `UPDATE ${s}.events SET type = 'Rewritten'`],
    ['DELETE', (s: string) => `DELETE FROM ${s}.events`],
    ['TRUNCATE', (s: string) => `TRUNCATE ${s}.events`],
    ['disabling the append-only trigger', (s: string) => `ALTER TABLE ${s}.events DISABLE TRIGGER events_append_only`],
  ])('is denied %s by the database', async (_name, statement) => {
    await createEventStore(app, schema).append('s', 0, newEvents(1));
    const error = await app.query(statement(schema)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PermissionDeniedError);
    expect(error).toMatchObject({ code: EventStoreErrorCode.PermissionDenied });
    expect((error as Error).message).toMatch(/permission denied|must be owner/);
    expect(await createEventStore(admin, schema).readStream('s')).toHaveLength(1);
  });
});
