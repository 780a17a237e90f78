import { randomUUID } from 'node:crypto';
import { createCheckpointStore, createEventStore, embeddedDatabase, migrate, START, type EmbeddedDatabase, type EventStore } from '@mgov/event-store';
import { outboxRelay, type BusMessage, type MessageBus } from '../src';
import { text } from './bus-fixtures';

describe('outbox relay', () => {
  let db: EmbeddedDatabase;
  let store: EventStore;
  const checkpoints = createCheckpointStore('log');
  const published: BusMessage[][] = [];
  let failNextPublish = false;
  const bus: MessageBus = {
    ensureTopics: async () => undefined,
    publish: async (_topic, messages) => {
      if (failNextPublish) {
        failNextPublish = false;
        throw new Error('broker unavailable');
      }
      published.push([...messages]);
    },
    subscribe: async () => ({ stop: async () => undefined }),
    close: async () => undefined,
  };
  const relay = (toMessage = (e: { streamId: string; data: Buffer }): BusMessage | null => ({ key: e.streamId, value: e.data })) =>
    outboxRelay({
      name: 'relay:test',
      db,
      bus,
      topic: 'mgov.test.events',
      batchSize: 3,
      reader: { readAfter: (after, limit) => store.readAll(after, limit) },
      checkpoints: { load: (name) => checkpoints.load(db, name), store: (tx, name, cp) => checkpoints.store(tx, name, cp) },
      toMessage,
    });
  const append = (...values: string[]) =>
    store.append('s-1', 'any', values.map((value) => ({ eventId: randomUUID(), type: 'Noted', data: text(value) })));

  beforeEach(async () => {
    db = await embeddedDatabase('memory://');
    await migrate(db, 'log');
    store = createEventStore(db, 'log');
    published.length = 0;
  });
  afterEach(() => db.close());

  it('publishes one batch per run, in log order', async () => {
    await append('e1', 'e2', 'e3', 'e4');
    const r = relay();
    expect([await r.runOnce(), await r.runOnce(), await r.runOnce()]).toEqual([3, 1, 0]);
    expect(published.map((batch) => batch.map((m) => m.value.toString()))).toEqual([['e1', 'e2', 'e3'], ['e4']]);
  });

  it('keeps its checkpoint when a publish fails, so the batch is published again (at-least-once)', async () => {
    await append('e1', 'e2');
    const r = relay();
    failNextPublish = true;
    await expect(r.runOnce()).rejects.toThrow('broker unavailable');
    expect(await checkpoints.load(db, 'relay:test')).toEqual(START);
    expect(await r.runOnce()).toBe(2);
    expect(published.flat().map((m) => m.value.toString())).toEqual(['e1', 'e2']);
  });

  it('moves past events it does not publish', async () => {
    await append('keep', 'skip', 'keep');
    const r = relay((e) => (e.data.toString() === 'skip' ? null : { key: e.streamId, value: e.data }));
    expect(await r.runOnce()).toBe(3);
    expect(published.flat().map((m) => m.value.toString())).toEqual(['keep', 'keep']);
    expect(await r.runOnce()).toBe(0);
  });
});
