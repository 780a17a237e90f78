import { randomBytes } from 'node:crypto';
import { embeddedDatabase, postgresDatabase, type Database } from '@mgov/event-store';
import { embeddedBus, kafkaBus, type MessageBus, type ReceivedMessage } from '../src';

/** What the shared bus contract needs: a bus, and a database for logs, checkpoints and inboxes. */
export interface BusFixture {
  readonly name: string;
  open(): Promise<{ bus: MessageBus; db: Database; close(): Promise<void> }>;
}

export function requireKafkaBrokers(): string[] {
  const brokers = process.env.MGOV_KAFKA_BROKERS;
  if (!brokers) {
    throw new Error(
      'MGOV_KAFKA_BROKERS is not set: the Kafka bus specs need a real broker. Run `npm test` ' +
        '(tools/infra/run-with-infra.js starts one) or export MGOV_KAFKA_BROKERS=host:port',
    );
  }
  return brokers.split(',');
}

/** PostgreSQL when MGOV_DATABASE_URL is set (as under `npm test`), PGlite otherwise. */
export function openSideDatabase(): Promise<Database> {
  const url = process.env.MGOV_DATABASE_URL;
  return url ? postgresDatabase(url, { applicationName: 'mgov-messaging-test' }) : embeddedDatabase('memory://');
}

export const kafkaFixture: BusFixture = {
  name: 'kafka',
  async open() {
    const bus = kafkaBus({ brokers: requireKafkaBrokers(), clientId: `mgov-messaging-test-${unique()}`, partitions: 3, retryBackoffMs: 50 });
    const db = await openSideDatabase();
    return { bus, db, close: async () => void (await Promise.allSettled([bus.close(), db.close()])) };
  },
};

export const embeddedPgliteFixture: BusFixture = {
  name: 'embedded (PGlite)',
  async open() {
    const db = await embeddedDatabase('memory://');
    const bus = embeddedBus(db, { schema: 'bus', retryBackoffMs: 50 });
    return { bus, db, close: async () => (await bus.close(), await db.close()) };
  },
};

/** The embedded bus on PostgreSQL, so its SQL is also proven on the server it mirrors. */
export const embeddedPostgresFixture: BusFixture = {
  name: 'embedded (PostgreSQL)',
  async open() {
    const url = process.env.MGOV_DATABASE_URL;
    if (!url) throw new Error('MGOV_DATABASE_URL is not set: run `npm test` or export it');
    const db = await postgresDatabase(url, { applicationName: 'mgov-messaging-test' });
    const schema = `bus_${unique()}`;
    const bus = embeddedBus(db, { schema, retryBackoffMs: 50 });
    return {
      bus,
      db,
      close: async () => {
        await bus.close();
        await db.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
        await db.close();
      },
    };
  },
};

export function unique(): string {
  return randomBytes(5).toString('hex');
}

/** Unique topic and group names, so specs never see each other's messages. */
export function names(prefix: string) {
  const id = unique();
  return { topic: `test.${prefix}.${id}`, group: (name = 'g') => `test.${prefix}.${id}.${name}` };
}

/** A handler that records what it received. */
export function recorder() {
  const received: ReceivedMessage[] = [];
  return {
    received,
    values: () => received.map((m) => m.value.toString('utf8')),
    handle: async (message: ReceivedMessage) => void received.push(message),
  };
}

export const text = (value: string) => Buffer.from(value, 'utf8');
