// A worker thread's entry: one kafkajs consumer that fetches and decodes batches and hands them,
// packed, to the thread that owns the subscription, staying `ahead` batches in front of it.
// Offsets are committed only when the owner says a batch was handled.
import { parentPort, workerData } from 'node:worker_threads';
import { Kafka } from 'kafkajs';
import { logger } from '@mgov/telemetry';
import type { FetchThreadSettings, FromFetchThread, ToFetchThread } from './fetch-thread-protocol';
import { kafkaLogCreator } from './kafka-log';
import { nextOffset } from './kafka-message';
import { groupJoined } from './kafka-subscription';
import { fetchedOffsetOf, keepRecordBatchesInPlace } from './in-place-record-batches';
import { packBatch } from './packed-batch';
import { lowerThisThread } from './thread-priority';
import { BatchMemory } from './batch-memory';

/** While waiting for the owner, the consumer heartbeats this often, so a slow batch does not cost the partitions. */
const HEARTBEAT_WHILE_WAITING_MS = 1_000;

/**
 * Half a single-threaded batch consumer's fetch (BATCH_FETCH): here a fetch is in flight while
 * batches are handed over and handled, so the same memory holds more of them.
 */
const THREAD_FETCH = { maxBytesPerPartition: 8 * 1024 * 1024, maxBytes: 16 * 1024 * 1024, maxWaitTimeInMs: 100 } as const;

// Before the first fetch: this thread hands over bytes, and need not have kafkajs make an object per record.
keepRecordBatchesInPlace();

const settings = workerData as FetchThreadSettings;
const port = parentPort!;
const log = logger('messaging.kafka.fetch-thread').child({ clientId: settings.clientId, groupId: settings.groupId });
const send = (message: FromFetchThread, transfer?: ArrayBuffer[]) => port.postMessage(message, transfer);
if (settings.nice && !lowerThisThread(settings.nice)) log.warn({ nice: settings.nice }, 'could not lower the fetch thread\'s priority; it runs at the handler\'s');

const kafka = new Kafka({
  clientId: settings.clientId,
  brokers: [...settings.brokers],
  logLevel: settings.logLevel,
  logCreator: kafkaLogCreator(log),
  ...(settings.sasl ? { sasl: settings.sasl } : {}),
  ...(settings.ssl !== undefined ? { ssl: settings.ssl } : {}),
});
const liveness = settings.sessionTimeoutMs
  ? { sessionTimeout: settings.sessionTimeoutMs, heartbeatInterval: Math.max(100, Math.floor(settings.sessionTimeoutMs / 10)) }
  : {};
const consumer = kafka.consumer({ groupId: settings.groupId, allowAutoTopicCreation: false, ...THREAD_FETCH, ...liveness });

/** Batches handed over and not handled yet: where each partition's commit goes once it is. */
const unhandled = new Map<number, { topic: string; partition: number; offset: string }>();
let nextId = 0;
let stopping = false;
let wake: (() => void) | undefined;
let commits: Promise<unknown> = Promise.resolve();
/** As many buffers as batches may be out at once: each comes back when its batch is handled. */
const memory = new BatchMemory(settings.ahead);
const memoryOf = (bytes: number) => memory.take(bytes);

const waitForOwner = (ms: number) => new Promise<void>((resolve) => {
  const timer = setTimeout(done, ms);
  wake = done;
  function done() {
    clearTimeout(timer);
    wake = undefined;
    resolve();
  }
});

port.on('message', (message: ToFetchThread) => {
  if (message.kind === 'handled') {
    if (message.memory) memory.giveBack(message.memory);
    const commit = unhandled.get(message.id);
    unhandled.delete(message.id);
    // In the order the owner handled them (it handles one batch at a time).
    if (commit) commits = commits.then(() => consumer.commitOffsets([commit])).catch((error: unknown) => {
      log.warn({ err: error, ...commit }, 'offset commit failed (a rebalance?); the group may deliver these messages again');
    });
  } else {
    stopping = true;
  }
  wake?.();
  if (message.kind === 'stop') void stop();
});

async function stop(): Promise<void> {
  await commits;
  await consumer.disconnect().catch((error: unknown) => log.warn({ err: error }, 'disconnecting the fetch thread consumer failed'));
  send({ kind: 'stopped' });
  port.close();
}

async function start(): Promise<void> {
  await consumer.connect();
  await consumer.subscribe({ topics: [...settings.topics], fromBeginning: settings.fromBeginning });
  const joined = groupJoined(consumer);
  await consumer.run({
    autoCommit: false,
    partitionsConsumedConcurrently: 1,
    eachBatch: async ({ batch, heartbeat }) => {
      if (stopping || batch.messages.length === 0) return;
      const packed = packBatch(batch.topic, batch.partition, batch.messages, fetchedOffsetOf(batch), memoryOf);
      // Nothing at or after the fetched offset (records of a batch kept in place, below it): kafkajs moves on past it.
      if (packed.count === 0) {
        memory.giveBack(packed.memory);
        return;
      }
      const id = (nextId += 1);
      unhandled.set(id, { topic: batch.topic, partition: batch.partition, offset: nextOffset(batch.messages[batch.messages.length - 1]!.offset) });
      send({ kind: 'batch', id, batch: packed }, [packed.memory]);
      // Returning lets kafkajs fetch the next batch while the owner handles this one; beyond `ahead`, wait.
      while (!stopping && unhandled.size >= settings.ahead) {
        await waitForOwner(HEARTBEAT_WHILE_WAITING_MS);
        await heartbeat().catch(() => undefined);
      }
    },
  });
  await joined;
}

start().then(() => send({ kind: 'joined' }), async (error: unknown) => {
  send({ kind: 'failed', message: (error as Error).message });
  await consumer.disconnect().catch(() => undefined);
  port.close();
});
