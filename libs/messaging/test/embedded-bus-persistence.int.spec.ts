import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { embeddedDatabase, type EmbeddedDatabase } from '@mgov/event-store';
// Test code only: the infra→test tag rule is meant for production code (see README).
// eslint-disable-next-line @nx/enforce-module-boundaries
import { waitFor } from '@mgov/testing';
import { embeddedBus, type MessageBus } from '../src';
import { recorder, text } from './bus-fixtures';

describe('embedded bus on a data dir', () => {
  let dataDir: string;
  let db: EmbeddedDatabase;
  let bus: MessageBus;
  const open = async () => {
    db = await embeddedDatabase(dataDir);
    bus = embeddedBus(db, { schema: 'bus', retryBackoffMs: 50 });
  };
  const shut = async () => {
    await bus.close();
    await db.close();
  };

  beforeEach(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'mgov-bus-'));
    await open();
  });
  afterEach(async () => {
    await shut();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('keeps published messages and committed offsets across a restart', async () => {
    const seen = recorder();
    const subscription = await bus.subscribe({ groupId: 'audit', topics: ['mgov.test'], fromBeginning: true, handle: seen.handle });
    await bus.publish('mgov.test', [{ key: 'k', value: text('before-1') }, { key: 'k', value: text('before-2') }]);
    await waitFor(() => seen.received.length === 2, 30_000, 'the first two');
    await subscription.stop();
    await bus.publish('mgov.test', [{ key: 'k', value: text('while-away') }]);

    await shut();
    await open();

    const resumed = recorder();
    const fresh = recorder();
    await bus.subscribe({ groupId: 'audit', topics: ['mgov.test'], fromBeginning: true, handle: resumed.handle });
    await bus.subscribe({ groupId: 'newcomer', topics: ['mgov.test'], fromBeginning: true, handle: fresh.handle });
    await waitFor(() => resumed.received.length >= 1 && fresh.received.length >= 3, 30_000, 'the resumed and the new group');
    expect(resumed.values()).toEqual(['while-away']);
    expect(fresh.values()).toEqual(['before-1', 'before-2', 'while-away']);
    expect(resumed.received[0]).toEqual(expect.objectContaining({ topic: 'mgov.test', partition: 0, offset: '2', key: 'k' }));
  });

  it('starts a new group at the end when not from the beginning, and remembers that start', async () => {
    await bus.publish('mgov.test', [{ key: 'k', value: text('old') }]);
    const late = recorder();
    const subscription = await bus.subscribe({ groupId: 'late', topics: ['mgov.test'], handle: late.handle });
    await subscription.stop();
    await bus.publish('mgov.test', [{ key: 'k', value: text('new') }]);
    await bus.subscribe({ groupId: 'late', topics: ['mgov.test'], handle: late.handle });
    await waitFor(() => late.received.length >= 1, 30_000, 'the new message');
    expect(late.values()).toEqual(['new']);
  });

  it('runs one consumer per group at a time; the next takes over where the first stopped', async () => {
    const first = recorder();
    const second = recorder();
    const active = await bus.subscribe({ groupId: 'pair', topics: ['mgov.test'], fromBeginning: true, handle: first.handle });
    await bus.subscribe({ groupId: 'pair', topics: ['mgov.test'], fromBeginning: true, handle: second.handle });
    await bus.publish('mgov.test', [{ key: 'k', value: text('a') }, { key: 'k', value: text('b') }]);
    await waitFor(() => first.received.length === 2, 30_000, 'a and b');

    await active.stop();
    await bus.publish('mgov.test', [{ key: 'k', value: text('c') }]);
    await waitFor(() => second.received.length >= 1, 30_000, 'c');
    expect(first.values()).toEqual(['a', 'b']);
    expect(second.values()).toEqual(['c']);
  });
});
