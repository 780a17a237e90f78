import { randomBytes, randomUUID } from 'node:crypto';
import { ROOT_CONTEXT, trace, TraceFlags } from '@opentelemetry/api';
import { avroCodec, type Prediction } from '@mgov/contracts';
import { createCheckpointStore, createEventStore, migrate, type Database } from '@mgov/event-store';
// Test code only: the infra→test tag rule is meant for production code (see README).
// eslint-disable-next-line @nx/enforce-module-boundaries
import { waitFor } from '@mgov/testing';
import {
  DeadLetterHeaders, extractTraceContext, injectTraceHeaders, migrateInbox, outboxRelay, processOnce, Topics,
  withDeadLetters, type MessageBus, type OutboxRelay, type ReceivedMessage, type Subscription,
} from '../src';
import { type BusFixture, names, recorder, text, unique } from './bus-fixtures';

/** The delivery semantics every MessageBus adapter must have; one spec body for all of them. */
export function busContract(fixture: BusFixture): void {
  describe(`${fixture.name} bus`, () => {
    let bus: MessageBus;
    let db: Database;
    let close: () => Promise<void>;
    const subscriptions: Subscription[] = [];
    const relays: OutboxRelay[] = [];
    const schemas: string[] = [];

    const subscribe = async (options: Parameters<MessageBus['subscribe']>[0]) => {
      const subscription = await bus.subscribe(options);
      subscriptions.push(subscription);
      return subscription;
    };
    const topicFor = async (prefix: string) => {
      const n = names(prefix);
      await bus.ensureTopics([n.topic]);
      return n;
    };

    beforeAll(async () => {
      ({ bus, db, close } = await fixture.open());
      await bus.ensureTopics([Topics.dlq]);
    });
    afterEach(async () => {
      await Promise.all(subscriptions.splice(0).map((s) => s.stop()));
      await Promise.all(relays.splice(0).map((r) => r.stop()));
    });
    afterAll(async () => {
      for (const schema of schemas) await db.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await close();
    });

    it('delivers every message at least once, in order per key', async () => {
      const { topic, group } = await topicFor('order');
      const keys = ['model-a', 'model-b', 'model-c', 'model-d'];
      const got = recorder();
      await subscribe({ groupId: group(), topics: [topic], fromBeginning: true, handle: got.handle });

      for (let round = 0; round < 5; round++) {
        await bus.publish(topic, keys.flatMap((key) => [0, 1, 2, 3].map((i) => ({ key, value: text(`${key}#${round * 4 + i}`) }))));
      }

      await waitFor(() => new Set(got.values()).size === keys.length * 20, 30_000, 'all 80 messages');
      for (const key of keys) {
        const firstSeen = [...new Set(got.received.filter((m) => m.key === key).map((m) => m.value.toString()))];
        expect(firstSeen).toEqual(Array.from({ length: 20 }, (_, i) => `${key}#${i}`));
      }
    });

    // With a fetch thread (Kafka) the batches are fetched on another thread, a batch ahead: same semantics.
    // A handler keeps copies of what it keeps past its batch: a fetch thread's batch memory is reused then.
    const copyOf = (m: ReceivedMessage): ReceivedMessage => ({ topic: m.topic, partition: m.partition, offset: m.offset, key: m.key, value: Buffer.from(m.value), headers: { ...m.headers } });
    for (const fetchThread of [false, true]) {
      it(`hands a batch handler its messages in order, and redelivers a failed batch whole${fetchThread ? ' (fetch thread)' : ''}`, async () => {
        const { topic, group } = await topicFor('batches');
        const seen: string[] = [];
        let failures = 0;
        await subscribe({
          groupId: group(), topics: [topic], fromBeginning: true, fetchThread,
          handle: async () => {
            throw new Error('a batch handler is used when given');
          },
          handleBatch: async (batch) => {
            const messages = batch.messages();
            // Read in place, each part's values and offsets are the messages' own.
            const inPlace = batch.parts.flatMap((part) => Array.from({ length: part.count }, (_, i) => [part.valueBytes(i).toString('utf8', part.valueStart(i), part.valueEnd(i)), String(part.offset(i)), part.topic, part.partition]));
            expect(inPlace).toEqual(messages.map((m) => [m.value.toString(), m.offset, m.topic, m.partition]));
            expect(batch.size).toBe(messages.length);
            if (failures === 0 && messages.some((m) => m.value.toString() === 'm7')) {
              failures += 1;
              throw new Error('first delivery of the batch holding m7 fails');
            }
            seen.push(...messages.map((m) => m.value.toString()));
          },
        });
        const expected = Array.from({ length: 30 }, (_, i) => `m${i}`);
        await bus.publish(topic, expected.map((value) => ({ key: 'k', value: text(value), headers: { 'x-sequence': value } })));
        await waitFor(() => seen.length >= 30, 30_000, 'all 30 messages');
        expect(failures).toBe(1);
        expect(seen).toEqual(expected);
      });

      it(`keeps each key's messages in order across partitions while the batch handler is slow${fetchThread ? ' (fetch thread)' : ''}`, async () => {
        const { topic, group } = await topicFor('batch-keys');
        const keys = ['model-a', 'model-b', 'model-c', 'model-d'];
        const got: ReceivedMessage[] = [];
        await subscribe({
          groupId: group(), topics: [topic], fromBeginning: true, fetchThread,
          handle: async () => undefined,
          handleBatch: async (batch) => {
            const messages = batch.messages();
            // Slower than fetching: with a fetch thread, batches of several partitions wait and come together.
            await new Promise((resolve) => setTimeout(resolve, 30));
            got.push(...messages.map(copyOf));
          },
        });
        for (let round = 0; round < 5; round++) {
          await bus.publish(topic, keys.flatMap((key) => [0, 1, 2, 3, 4].map((i) => ({ key, value: text(`${key}#${round * 5 + i}`) }))));
        }
        await waitFor(() => got.length >= keys.length * 25, 30_000, 'all 100 messages');
        for (const key of keys) {
          expect(got.filter((m) => m.key === key).map((m) => m.value.toString())).toEqual(Array.from({ length: 25 }, (_, i) => `${key}#${i}`));
        }
        expect(got).toHaveLength(100);
      });

      it(`commits a batch only once handled: a group's next batch consumer gets exactly the rest${fetchThread ? ' (fetch thread)' : ''}`, async () => {
        const { topic, group } = await topicFor('batch-resume');
        const groupId = group();
        const first: ReceivedMessage[] = [];
        const firstSubscription = await subscribe({
          groupId, topics: [topic], fromBeginning: true, fetchThread,
          handle: async () => undefined,
          handleBatch: async (batch) => void first.push(...batch.messages().map(copyOf)),
        });
        await bus.publish(topic, Array.from({ length: 10 }, (_, i) => ({ key: 'k', value: text(`a${i}`), headers: { 'x-sequence': `a${i}` } })));
        await waitFor(() => first.length >= 10, 30_000, 'the first 10 messages');
        await firstSubscription.stop();
        // What the first consumer was handed reads as it was sent, headers and offsets included.
        expect(first.map((m) => [m.value.toString(), m.headers['x-sequence'], m.key, m.topic])).toEqual(
          Array.from({ length: 10 }, (_, i) => [`a${i}`, `a${i}`, 'k', topic]),
        );
        expect(first.map((m) => Number(m.offset))).toEqual([...first.map((m) => Number(m.offset))].sort((a, b) => a - b));

        await bus.publish(topic, Array.from({ length: 5 }, (_, i) => ({ key: 'k', value: text(`b${i}`) })));
        const rest: string[] = [];
        await subscribe({
          groupId, topics: [topic], fromBeginning: true, fetchThread,
          handle: async () => undefined,
          handleBatch: async (batch) => void rest.push(...batch.messages().map((m) => m.value.toString())),
        });
        await waitFor(() => rest.length >= 5, 30_000, 'the 5 new messages');
        expect(rest).toEqual(['b0', 'b1', 'b2', 'b3', 'b4']);
      });
    }

    it('gives every consumer group every message', async () => {
      const { topic, group } = await topicFor('groups');
      const first = recorder();
      const second = recorder();
      await subscribe({ groupId: group('first'), topics: [topic], fromBeginning: true, handle: first.handle });
      await subscribe({ groupId: group('second'), topics: [topic], fromBeginning: true, handle: second.handle });

      const expected = Array.from({ length: 10 }, (_, i) => `m${i}`);
      await bus.publish(topic, expected.map((value) => ({ key: 'k', value: text(value) })));

      await waitFor(() => first.received.length >= 10 && second.received.length >= 10, 30_000, 'both groups');
      expect(first.values()).toEqual(expected);
      expect(second.values()).toEqual(expected);
    });

    it('resumes a group from its committed offset: nothing committed comes again, nothing is lost', async () => {
      const { topic, group } = await topicFor('resume');
      const message = (i: number) => ({ key: 'k', value: text(`m${i}`) });
      const before = recorder();
      const subscription = await subscribe({ groupId: group(), topics: [topic], fromBeginning: true, handle: before.handle });
      await bus.publish(topic, [0, 1, 2, 3, 4].map(message));
      await waitFor(() => before.received.length === 5, 30_000, 'the first five');
      await subscription.stop();

      await bus.publish(topic, [5, 6, 7, 8, 9].map(message));
      const after = recorder();
      await subscribe({ groupId: group(), topics: [topic], fromBeginning: true, handle: after.handle });
      await bus.publish(topic, [10, 11].map(message));

      await waitFor(() => after.received.length >= 7, 30_000, 'the rest');
      expect(before.values()).toEqual(['m0', 'm1', 'm2', 'm3', 'm4']);
      expect(after.values()).toEqual(['m5', 'm6', 'm7', 'm8', 'm9', 'm10', 'm11']);
    });

    it('redelivers a message whose handler failed, without skipping it or reordering', async () => {
      const { topic, group } = await topicFor('retry');
      const attempts: string[] = [];
      let failuresLeft = 2;
      await subscribe({
        groupId: group(),
        topics: [topic],
        fromBeginning: true,
        handle: async (message) => {
          const value = message.value.toString();
          attempts.push(value);
          if (value === 'm2' && failuresLeft-- > 0) throw new Error('the projection is not ready yet');
        },
      });
      await bus.publish(topic, ['m0', 'm1', 'm2', 'm3', 'm4'].map((value) => ({ key: 'k', value: text(value) })));

      await waitFor(() => attempts.includes('m4'), 30_000, 'm4');
      expect(attempts).toEqual(['m0', 'm1', 'm2', 'm2', 'm2', 'm3', 'm4']);
    });

    it('never skips a message whose handler keeps failing: the group\'s next consumer gets it', async () => {
      const { topic, group } = await topicFor('stuck');
      const attempts: string[] = [];
      const stuck = await subscribe({
        groupId: group(),
        topics: [topic],
        fromBeginning: true,
        handle: async (message) => {
          attempts.push(message.value.toString());
          if (message.value.toString() === 'm1') throw new Error('always failing');
        },
      });
      await bus.publish(topic, ['m0', 'm1', 'm2'].map((value) => ({ key: 'k', value: text(value) })));
      await waitFor(() => attempts.filter((a) => a === 'm1').length >= 2, 30_000, 'two failed attempts');
      await stuck.stop();
      expect(attempts.every((a) => a !== 'm2')).toBe(true);

      const healthy = recorder();
      await subscribe({ groupId: group(), topics: [topic], fromBeginning: true, handle: healthy.handle });
      await waitFor(() => healthy.received.length >= 2, 30_000, 'm1 and m2');
      expect(healthy.values()).toEqual(['m1', 'm2']);
    });

    it('dead-letters undecodable messages with the reason and keeps consuming', async () => {
      const { topic, group } = await topicFor('dlq');
      const codec = avroCodec();
      const good = (predictionId: string) => ({ key: 'model-a', value: codec.encode('Prediction', prediction(predictionId)) });
      const randomJunk = { key: 'junk', value: Buffer.concat([Buffer.from([0x00]), randomBytes(31)]) };
      const unknownSchema = { key: 'stranger', value: Buffer.concat([Buffer.from([0xc3, 0x01]), randomBytes(8), randomBytes(16)]) };

      const deadLetters = recorder();
      await subscribe({
        groupId: group('dlq-watch'),
        topics: [Topics.dlq],
        fromBeginning: true,
        handle: async (m) => void (m.headers[DeadLetterHeaders.sourceTopic] === topic && deadLetters.received.push(m)),
      });
      const handled: string[] = [];
      let businessFailures = 1;
      const groupId = group();
      await subscribe({
        groupId,
        topics: [topic],
        fromBeginning: true,
        handle: withDeadLetters(bus, { groupId, decode: (m) => codec.decode<Prediction>(m.value).value }, async (decoded) => {
          if (decoded.predictionId === 'p2' && businessFailures-- > 0) throw new Error('a business failure is retried, not dead-lettered');
          handled.push(decoded.predictionId);
        }),
      });

      await bus.publish(topic, [good('p1'), randomJunk, unknownSchema, good('p2')]);

      await waitFor(() => handled.includes('p2') && deadLetters.received.length >= 2, 30_000, 'p2 and two dead letters');
      expect(handled).toEqual(['p1', 'p2']);
      // Different keys may land on different partitions of the dead-letter topic: compare by key.
      const byKey = new Map(deadLetters.received.map((m) => [m.key, m]));
      expect(byKey.size).toBe(2);
      expect(byKey.get(randomJunk.key)?.value).toEqual(randomJunk.value);
      expect(byKey.get(unknownSchema.key)?.value).toEqual(unknownSchema.value);
      const [junk, stranger] = [byKey.get(randomJunk.key)!.headers, byKey.get(unknownSchema.key)!.headers];
      expect(junk[DeadLetterHeaders.reason]).toMatch(/^CONTRACTS\.BAD_MAGIC: /);
      expect(stranger[DeadLetterHeaders.reason]).toMatch(/^CONTRACTS\.UNKNOWN_FINGERPRINT: /);
      expect(stranger[DeadLetterHeaders.code]).toBe('CONTRACTS.UNKNOWN_FINGERPRINT');
      for (const headers of [junk, stranger]) {
        expect(headers[DeadLetterHeaders.sourceGroup]).toBe(groupId);
        expect(headers[DeadLetterHeaders.sourcePartition]).toMatch(/^\d+$/);
        expect(headers[DeadLetterHeaders.sourceOffset]).toMatch(/^\d+$/);
      }
    });

    it('relays the log to a topic in order and resumes from its checkpoint after a restart', async () => {
      const { topic, group } = await topicFor('relay');
      const schema = `relay_${unique()}`;
      schemas.push(schema);
      await migrate(db, schema);
      const store = createEventStore(db, schema);
      const checkpoints = createCheckpointStore(schema);
      const relay = (batchSize: number) => {
        const created = outboxRelay({
          name: `relay:${topic}`,
          db,
          bus,
          topic,
          batchSize,
          reader: { readAfter: (after, limit) => store.readAll(after, limit) },
          checkpoints: { load: (name) => checkpoints.load(db, name), store: (tx, name, cp) => checkpoints.store(tx, name, cp) },
          toMessage: (event) => ({ key: event.streamId, value: event.data, headers: { 'mgov-event-id': event.eventId } }),
        });
        relays.push(created);
        return created;
      };
      const append = async (stream: string, ...values: string[]) => {
        for (const value of values) await store.append(stream, 'any', [{ eventId: randomUUID(), type: 'Noted', data: text(value) }]);
      };
      const got = recorder();
      await subscribe({ groupId: group(), topics: [topic], fromBeginning: true, handle: got.handle });

      await append('s-1', 'e1', 'e2');
      await append('s-2', 'e3');
      await append('s-1', 'e4', 'e5');
      const first = relay(100);
      expect(await first.runOnce()).toBe(5);
      expect(await first.runOnce()).toBe(0);
      await first.stop();

      await append('s-2', 'e6', 'e7', 'e8');
      const second = relay(2);
      second.start(60_000);
      second.notify();
      await waitFor(() => got.received.length >= 8, 30_000, 'eight relayed events');
      await second.stop();

      // Ordered per stream (the message key); streams may share no partition.
      const perStream = (stream: string) => got.received.filter((m) => m.key === stream).map((m) => m.value.toString());
      expect(got.received).toHaveLength(8);
      expect(perStream('s-1')).toEqual(['e1', 'e2', 'e4', 'e5']);
      expect(perStream('s-2')).toEqual(['e3', 'e6', 'e7', 'e8']);
      const [last] = await store.readStream('s-2', { fromVersion: 4 });
      expect(second.checkpoint).toEqual({ transactionId: last.transactionId, position: last.position });
      expect(await checkpoints.load(db, `relay:${topic}`)).toEqual(second.checkpoint);
    });

    it('lets an inbox consumer apply a duplicate delivery once', async () => {
      const { topic, group } = await topicFor('inbox');
      const schema = `inbox_${unique()}`;
      schemas.push(schema);
      await migrateInbox(db, schema);
      await db.query(`CREATE TABLE ${schema}.tally (id int PRIMARY KEY, applied int NOT NULL)`);
      await db.query(`INSERT INTO ${schema}.tally VALUES (1, 0)`);
      const deliveries: string[] = [];
      await subscribe({
        groupId: group(),
        topics: [topic],
        fromBeginning: true,
        handle: async (message) => {
          const eventId = message.headers['mgov-event-id'];
          await processOnce(db, { schema, consumer: 'tally', eventId }, (tx) =>
            tx.query(`UPDATE ${schema}.tally SET applied = applied + 1 WHERE id = 1`).then(() => undefined),
          );
          deliveries.push(eventId);
        },
      });
      const event = (id: string) => ({ key: 'k', value: text(id), headers: { 'mgov-event-id': id } });

      await bus.publish(topic, [event('e-1'), event('e-2'), event('e-1')]);

      await waitFor(() => deliveries.length === 3, 30_000, 'three deliveries');
      const [{ applied }] = await db.query<{ applied: number }>(`SELECT applied FROM ${schema}.tally`);
      expect(applied).toBe(2);
    });

    it('carries the W3C trace context in message headers', async () => {
      const { topic, group } = await topicFor('trace');
      const span = { traceId: randomBytes(16).toString('hex'), spanId: randomBytes(8).toString('hex'), traceFlags: TraceFlags.SAMPLED };
      const got = recorder();
      await subscribe({ groupId: group(), topics: [topic], fromBeginning: true, handle: got.handle });

      const headers = injectTraceHeaders({ 'mgov-event-type': 'Noted' }, trace.setSpanContext(ROOT_CONTEXT, span));
      await bus.publish(topic, [{ key: 'k', value: text('traced'), headers }]);

      await waitFor(() => got.received.length === 1, 30_000, 'the traced message');
      const [received]: ReceivedMessage[] = got.received;
      expect(received.headers).toEqual(expect.objectContaining({ 'mgov-event-type': 'Noted', traceparent: `00-${span.traceId}-${span.spanId}-01` }));
      expect(trace.getSpanContext(extractTraceContext(received.headers))).toEqual(expect.objectContaining({ traceId: span.traceId, spanId: span.spanId, isRemote: true }));
    });
  });
}

function prediction(predictionId: string): Prediction {
  return {
    predictionId,
    modelName: 'credit-risk',
    modelVersion: 1,
    modelDigest: `sha256:${'0'.repeat(64)}`,
    eventTime: 1_700_000_000_000,
    numericFeatures: { income: 42_000 },
    categoricalFeatures: { region: 'north' },
    predictedClass: 'approve',
    score: 0.8,
    protectedAttributes: { gender: 'f' },
    groundTruth: null,
  };
}
