import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CompressionTypes, Kafka, logLevel } from 'kafkajs';
import { logger } from '@mgov/telemetry';
// Test code only: the infra→test tag rule is meant for production code (see README).
// eslint-disable-next-line @nx/enforce-module-boundaries
import { waitFor } from '@mgov/testing';
import { kafkaBus, type ReceivedMessage } from '../src';
import { kafkaThreadSubscription } from '../src/kafka/kafka-thread-subscription';
import { names, requireKafkaBrokers, text, unique } from './bus-fixtures';
import { crashMarker } from './fetch-thread-crash-marker';

describe('kafka fetch thread', () => {
  const brokers = requireKafkaBrokers();
  const clientId = `mgov-fetch-thread-test-${unique()}`;
  const bus = kafkaBus({ brokers, clientId, partitions: 1, retryBackoffMs: 50 });
  afterAll(() => bus.close());

  /** What a new subscription of the group is handed first (after `publish`, if given, is published): where the last one's commits left it. */
  async function firstBatchOfNextSubscription(groupId: string, topic: string, waitingFor: string, publish?: string): Promise<string[]> {
    const next: string[] = [];
    const subscription = await kafkaThreadSubscription(
      { clientId, brokers, logLevel: logLevel.NOTHING },
      { groupId, topics: [topic], fromBeginning: true, handle: async () => undefined, handleBatch: async (batch) => void next.push(...batch.messages().map((m) => m.value.toString())) },
      { retryBackoffMs: 50, log: logger('messaging.test') },
    );
    try {
      if (publish !== undefined) await bus.publish(topic, [{ key: 'k', value: text(publish) }]);
      await waitFor(() => next.length > 0, 30_000, waitingFor);
      return next;
    } finally {
      await subscription.stop();
    }
  }

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
      { groupId, topics: [topic], fromBeginning: true, handle: async () => undefined, handleBatch: async (batch) => void seen.push(...batch.messages().map((m) => m.value.toString())) },
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

  it('hands over the next batch while a taken one is stored; commits only what is stored; a failed store delivers it and all after it again', async () => {
    // Given a handler that takes batches and stores them when told to
    const { topic, group } = names('thread-taken');
    await bus.ensureTopics([topic]);
    const groupId = group();
    const deliveries: string[][] = [];
    const stores: Array<{ resolve: () => void; reject: (error: Error) => void }> = [];
    let storeAtOnce = false;
    const subscription = await kafkaThreadSubscription(
      { clientId, brokers, logLevel: logLevel.NOTHING },
      {
        groupId, topics: [topic], fromBeginning: true, handle: async () => undefined,
        handleBatch: async (batch) => {
          deliveries.push(batch.messages().map((m) => m.value.toString()));
          if (storeAtOnce) return { stored: Promise.resolve() };
          return { stored: new Promise<void>((resolve, reject) => stores.push({ resolve, reject })) };
        },
      },
      { retryBackoffMs: 50, log: logger('messaging.test') },
    );
    try {
      // When two batches are published one after the other, and neither is stored yet
      const values = Array.from({ length: 10 }, (_, i) => `m${i}`);
      await bus.publish(topic, values.slice(0, 5).map((value) => ({ key: 'k', value: text(value) })));
      await waitFor(() => deliveries.length === 1, 30_000, 'the first batch taken');
      await bus.publish(topic, values.slice(5).map((value) => ({ key: 'k', value: text(value) })));

      // Then the second is handed over while the first is being stored
      await waitFor(() => deliveries.length === 2, 30_000, 'the second batch taken before the first is stored');
      expect(deliveries.flat()).toEqual(values);

      // When the first's store fails (and so, as the handler must, does the second's)
      storeAtOnce = true;
      stores[0]!.reject(new Error('injected: not stored'));
      stores[1]!.reject(new Error('injected: not stored either'));

      // Then both come again, in order
      await waitFor(() => deliveries.flat().length === 20, 30_000, 'both batches delivered again');
      expect(deliveries.slice(2).flat()).toEqual(values);
    } finally {
      // A stop waits for what was taken to be stored.
      for (const store of stores) store.resolve();
      await subscription.stop();
    }

    // And, stored, they were committed: the group's next subscription starts after them
    expect(await firstBatchOfNextSubscription(groupId, topic, 'the message published after the stop', 'm10')).toEqual(['m10']);
  }, 120_000);

  it('runs its fetch thread below the handler\'s priority when asked, and still hands over every batch', async () => {
    // Given a subscription whose fetch thread is to yield to the handler by nice 13 (a value nothing else here runs at)
    const { topic, group } = names('thread-nice');
    await bus.ensureTopics([topic]);
    const niceOf = (tid: string) => {
      const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
      // Field 19 is nice; the fields after the command's closing parenthesis start at field 3.
      return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]);
    };
    const niceOfThreads = () => readdirSync('/proc/self/task').map(niceOf);
    const before = niceOfThreads().filter((nice) => nice === 13).length;
    const seen: string[] = [];
    const subscription = await kafkaThreadSubscription(
      { clientId, brokers, logLevel: logLevel.NOTHING },
      { groupId: group(), topics: [topic], fromBeginning: true, fetchThreadNice: 13, handle: async () => undefined, handleBatch: async (batch) => void seen.push(...batch.messages().map((m) => m.value.toString())) },
      { retryBackoffMs: 50, log: logger('messaging.test') },
    );
    try {
      // When messages are published
      await bus.publish(topic, [{ key: 'k', value: text('a') }, { key: 'k', value: text('b') }]);
      await waitFor(() => seen.length === 2, 30_000, 'both messages');

      // Then they are handled, and one more thread of this process (the fetch thread) runs at nice 13; this one does not
      expect(seen).toEqual(['a', 'b']);
      expect(niceOfThreads().filter((nice) => nice === 13).length).toBe(before + 1);
      expect(niceOf(String(process.pid))).not.toBe(13);
    } finally {
      await subscription.stop();
    }
  }, 60_000);

  it('gives each batch\'s memory back to the thread once handled: later batches arrive whole, a message kept past its batch refuses to be read', async () => {
    // Given a handler that keeps the first message it is handed
    const { topic, group } = names('thread-memory');
    await bus.ensureTopics([topic]);
    const seen: string[] = [];
    let kept: ReceivedMessage | undefined;
    const subscription = await kafkaThreadSubscription(
      { clientId, brokers, logLevel: logLevel.NOTHING },
      {
        groupId: group(), topics: [topic], fromBeginning: true, handle: async () => undefined,
        handleBatch: async (batch) => {
          const messages = batch.messages();
          kept ??= messages[0];
          seen.push(...messages.map((m) => m.value.toString()));
        },
      },
      { retryBackoffMs: 50, log: logger('messaging.test') },
    );
    try {
      // When batches follow one another, each published once the one before was handled
      for (const [i, value] of ['first', 'second', 'third', 'fourth', 'fifth', 'sixth'].entries()) {
        await bus.publish(topic, [{ key: 'k', value: text(value.repeat(1000)) }]);
        await waitFor(() => seen.length === i + 1, 30_000, value);
      }

      // Then every one arrived whole, in buffers the thread packed again and again
      expect(seen.map((v) => v.slice(0, 6))).toEqual(['firstf', 'second', 'thirdt', 'fourth', 'fifthf', 'sixths']);
      expect(seen.every((v, i) => v.length === ['first', 'second', 'third', 'fourth', 'fifth', 'sixth'][i]!.length * 1000)).toBe(true);
      // And the message kept past its batch says it was, rather than reading as empty
      expect(() => kept!.value).toThrow(/read after its batch was handled/);
    } finally {
      await subscription.stop();
    }
  }, 90_000);

  it('stops in bounded time when a taken batch is never stored, and leaves it uncommitted: it comes again', async () => {
    // Given a handler whose store never settles, and a stop that waits a second for it
    const { topic, group } = names('thread-unstored');
    await bus.ensureTopics([topic]);
    const groupId = group();
    const taken: string[] = [];
    const subscription = await kafkaThreadSubscription(
      { clientId, brokers, logLevel: logLevel.NOTHING },
      {
        groupId, topics: [topic], fromBeginning: true, handle: async () => undefined,
        handleBatch: async (batch) => {
          taken.push(...batch.messages().map((m) => m.value.toString()));
          return { stored: new Promise<void>(() => undefined) };
        },
      },
      { retryBackoffMs: 50, log: logger('messaging.test'), stopTimeoutMs: 1_000 },
    );
    await bus.publish(topic, [{ key: 'k', value: text('never-stored') }]);
    await waitFor(() => taken.length > 0, 30_000, 'the batch taken');

    // When it stops, then the stop returns
    let stopped = false;
    const stopping = subscription.stop().then(() => (stopped = true));
    await waitFor(() => stopped, 20_000, 'the stop, past its wait for the store');
    await stopping;

    // And the group's next subscription gets the batch again (it was not committed)
    expect(await firstBatchOfNextSubscription(groupId, topic, 'the batch delivered again')).toEqual(['never-stored']);
  }, 120_000);

  it('resumes inside a producer\'s record batch, and reads compressed batches too, as the unthreaded bus does', async () => {
    // Given a record batch of 10, a gzip batch of 5 and another plain batch, and the group's offset inside the first batch
    const { topic, group } = names('thread-in-place');
    await bus.ensureTopics([topic]);
    const groupId = group();
    const kafka = new Kafka({ clientId, brokers, logLevel: logLevel.NOTHING });
    const producer = kafka.producer();
    await producer.connect();
    const batch = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => ({ key: 'k', value: `${prefix}${i}`, headers: { 'x-n': `${prefix}${i}` } }));
    await producer.send({ topic, messages: batch('a', 10) });
    await producer.send({ topic, messages: batch('z', 5), compression: CompressionTypes.GZIP });
    await producer.send({ topic, messages: batch('b', 3) });
    await producer.disconnect();
    const admin = kafka.admin();
    await admin.connect();
    await admin.setOffsets({ groupId, topic, partitions: [{ partition: 0, offset: '4' }] });
    await admin.disconnect();
    const seen: Array<[string, string, string]> = [];

    // When a subscription reads through a fetch thread
    const subscription = await kafkaThreadSubscription(
      { clientId, brokers, logLevel: logLevel.NOTHING },
      { groupId, topics: [topic], fromBeginning: true, handle: async () => undefined, handleBatch: async (received) => void seen.push(...received.messages().map((m) => [m.offset, m.value.toString(), m.headers['x-n']!] as [string, string, string])) },
      { retryBackoffMs: 50, log: logger('messaging.test') },
    );
    try {
      // Then it gets exactly the messages from the committed offset on, each with its offset and headers
      await waitFor(() => seen.length >= 14, 30_000, 'the 14 messages from offset 4');
      await new Promise((resolve) => setTimeout(resolve, 300));
      const expected = [...batch('a', 10).slice(4), ...batch('z', 5), ...batch('b', 3)].map((m, i) => [String(4 + i), m.value, m.value]);
      expect(seen).toEqual(expected);
    } finally {
      await subscription.stop();
    }
  }, 60_000);

  it('reads a backlog of tiny messages, compressed or not: the thread keeps them as bytes, and does not run out of heap', async () => {
    // Given 600,000 messages of 60 bytes, plain and gzip-compressed (alike: a fetch of the compressed ones is over a million records)
    const { topic, group } = names('thread-tiny');
    await bus.ensureTopics([topic]);
    const value = Buffer.alloc(60, 7);
    const producer = new Kafka({ clientId, brokers, logLevel: logLevel.NOTHING }).producer();
    await producer.connect();
    for (let i = 0; i < 60; i += 1) {
      await producer.send({ topic, compression: i % 2 === 0 ? CompressionTypes.GZIP : CompressionTypes.None, messages: Array.from({ length: 10_000 }, () => ({ key: '', value })) });
    }
    await producer.disconnect();
    let seen = 0;

    // When a subscription reads them through a fetch thread
    const subscription = await kafkaThreadSubscription(
      { clientId, brokers, logLevel: logLevel.NOTHING },
      { groupId: group(), topics: [topic], fromBeginning: true, handle: async () => undefined, handleBatch: async (batch) => void (seen += batch.size) },
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
  it('shares a group with another fetch-thread subscription: a rebalance loses nothing, and each keeps every key in order', async () => {
    // Given a topic of 4 partitions with 200 messages over 8 keys
    const bus4 = kafkaBus({ brokers, clientId, partitions: 4, retryBackoffMs: 50 });
    const { topic, group } = names('thread-group');
    await bus4.ensureTopics([topic]);
    const groupId = group();
    const keys = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'];
    const publish = (from: number, count: number) => bus4.publish(topic, Array.from({ length: count }, (_, i) => {
      const key = keys[(from + i) % keys.length]!;
      return { key, value: text(`${key}#${from + i}`) };
    }));
    await publish(0, 200);
    const subscribe = (seen: string[]) => kafkaThreadSubscription(
      { clientId, brokers, logLevel: logLevel.NOTHING, sessionTimeoutMs: 6_000 },
      {
        groupId, topics: [topic], fromBeginning: true, handle: async () => undefined,
        // A slow handler: batches are in flight when the group rebalances.
        handleBatch: async (batch) => {
          seen.push(...batch.messages().map((m) => m.value.toString()));
          await new Promise((resolve) => setTimeout(resolve, 20));
        },
      },
      { retryBackoffMs: 50, log: logger('messaging.test') },
    );
    const seenByFirst: string[] = [];
    const seenBySecond: string[] = [];
    const all = () => new Set([...seenByFirst, ...seenBySecond]);

    // When a second subscription joins while the first reads, the first stops, and 200 more are published
    const first = await subscribe(seenByFirst);
    const second = await subscribe(seenBySecond);
    try {
      await waitFor(() => all().size === 200, 60_000, 'the first 200 messages');
      await first.stop();
      await publish(200, 200);
      await waitFor(() => all().size === 400, 60_000, 'all 400 messages');

      // Then every message arrived (some maybe twice, at least once), the second took over the first's partitions,
      // and each subscription saw each key's messages in the order they were published
      expect(all().size).toBe(400);
      expect(seenBySecond.filter((v) => Number(v.split('#')[1]) >= 200)).toHaveLength(200);
      for (const seen of [seenByFirst, seenBySecond]) {
        for (const key of keys) {
          const order = seen.filter((v) => v.startsWith(`${key}#`)).map((v) => Number(v.split('#')[1]));
          const firsts = order.filter((n, i) => order.indexOf(n) === i);
          expect(firsts).toEqual([...firsts].sort((x, y) => x - y));
        }
      }
    } finally {
      await first.stop();
      await second.stop();
      await bus4.close();
    }
  }, 180_000);
});
