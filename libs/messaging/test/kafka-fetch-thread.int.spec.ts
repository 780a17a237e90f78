import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { logLevel } from 'kafkajs';
import { logger } from '@mgov/telemetry';
// Test code only: the infra→test tag rule is meant for production code (see README).
// eslint-disable-next-line @nx/enforce-module-boundaries
import { waitFor } from '@mgov/testing';
import { kafkaBus } from '../src';
import { kafkaThreadSubscription } from '../src/kafka/kafka-thread-subscription';
import { names, requireKafkaBrokers, text, unique } from './bus-fixtures';
import { crashMarker } from './fetch-thread-crash-marker';

describe('kafka fetch thread', () => {
  const brokers = requireKafkaBrokers();
  const clientId = `mgov-fetch-thread-test-${unique()}`;
  const bus = kafkaBus({ brokers, clientId, partitions: 1, retryBackoffMs: 50 });
  afterAll(() => bus.close());

  it('replaces a fetch thread that dies: nothing is lost, and what it did not commit comes again', async () => {
    // Given a topic with 20 messages, and a fetch thread that dies once its first batch was handled, before committing it
    const { topic, group } = names('thread-crash');
    await bus.ensureTopics([topic]);
    const groupId = group();
    const first = Array.from({ length: 20 }, (_, i) => `m${i}`);
    await bus.publish(topic, first.map((value) => ({ key: 'k', value: text(value) })));
    const seen: string[] = [];

    // When a subscription reads them through it
    const subscription = await kafkaThreadSubscription(
      // A short session: the dead thread's consumer never left the group, which waits this long for it.
      { clientId, brokers, logLevel: logLevel.NOTHING, sessionTimeoutMs: 6_000 },
      { groupId, topics: [topic], fromBeginning: true, handle: async () => undefined, handleBatch: async (messages) => void seen.push(...messages.map((m) => m.value.toString())) },
      { retryBackoffMs: 50, log: logger('messaging.test'), entry: join(__dirname, 'crashing-fetch-thread.ts') },
    );
    try {
      await waitFor(() => new Set(seen).size === 20, 60_000, 'the first 20 messages');
      const later = Array.from({ length: 5 }, (_, i) => `n${i}`);
      await bus.publish(topic, later.map((value) => ({ key: 'k', value: text(value) })));
      await waitFor(() => seen.includes('n4'), 60_000, 'the 5 messages published after the crash');

      // Then the first thread did die, its batch came again from a new thread, and everything arrived in order
      expect(existsSync(crashMarker(groupId))).toBe(true);
      const handedOverBeforeTheCrash = seen.length - 25;
      expect(handedOverBeforeTheCrash).toBeGreaterThan(0);
      expect(seen.slice(0, handedOverBeforeTheCrash)).toEqual(first.slice(0, handedOverBeforeTheCrash));
      expect(seen.slice(handedOverBeforeTheCrash)).toEqual([...first, ...later]);
    } finally {
      await subscription.stop();
    }
  }, 120_000);

  it('reads a backlog of tiny messages: a fetch of them is many objects, and the thread does not run out of heap', async () => {
    // Given 600,000 messages of 60 bytes (an 8 MiB fetch of them is ~130,000 decoded messages)
    const { topic, group } = names('thread-tiny');
    await bus.ensureTopics([topic]);
    const value = Buffer.alloc(60, 7);
    for (let i = 0; i < 60; i += 1) await bus.publish(topic, Array.from({ length: 10_000 }, () => ({ key: '', value })));
    let seen = 0;

    // When a subscription reads them through a fetch thread
    const subscription = await kafkaThreadSubscription(
      { clientId, brokers, logLevel: logLevel.NOTHING },
      { groupId: group(), topics: [topic], fromBeginning: true, handle: async () => undefined, handleBatch: async (messages) => void (seen += messages.length) },
      { retryBackoffMs: 50, log: logger('messaging.test') },
    );
    try {
      // Then all arrive, once each: a thread that died on the way would have handed some over again
      await waitFor(() => seen >= 600_000, 60_000, 'all 600,000 messages');
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(seen).toBe(600_000);
    } finally {
      await subscription.stop();
    }
  }, 120_000);
});
