import type { Consumer, Kafka } from 'kafkajs';
import type { Logger } from '@mgov/telemetry';
import { type Subscription, type SubscriptionOptions, untilStored } from '../message-bus';
import { batchOfParts, lastOf } from '../received-batch';
import { deliverUntilHandled } from '../redelivery';
import { KafkaBatchPart, nextOffset, toReceivedMessage } from './kafka-message';

const JOIN_TIMEOUT_MS = 60_000;

/**
 * Fetch sizes of a batch consumer: its per-message cost is small, the fetch is not, so it fetches
 * up to 16 MiB per partition a round trip (a batch consumer holds at most one fetch in memory).
 */
export const BATCH_FETCH = { maxBytesPerPartition: 16 * 1024 * 1024, maxBytes: 32 * 1024 * 1024, maxWaitTimeInMs: 100 } as const;

/**
 * One consumer for one group. Messages of a partition are handled one at a time, in order; the
 * offset is committed only after the handler resolved, and a failing handler is retried on the
 * same message (the consumer heartbeats meanwhile).
 */
export async function kafkaSubscription(
  kafka: Kafka,
  options: SubscriptionOptions,
  settings: { readonly retryBackoffMs: number; readonly sessionTimeoutMs?: number; readonly log: Logger },
): Promise<Subscription> {
  const log = settings.log.child({ groupId: options.groupId });
  const stopping = new AbortController();
  const handleBatch = options.handleBatch;
  const fetchSizes = handleBatch ? BATCH_FETCH : { maxWaitTimeInMs: 1000 };
  const liveness = settings.sessionTimeoutMs ? { sessionTimeout: settings.sessionTimeoutMs, heartbeatInterval: Math.max(100, Math.floor(settings.sessionTimeoutMs / 10)) } : {};
  const consumer: Consumer = kafka.consumer({ groupId: options.groupId, allowAutoTopicCreation: false, ...fetchSizes, ...liveness });

  try {
    await consumer.connect();
    await consumer.subscribe({ topics: [...options.topics], fromBeginning: options.fromBeginning ?? false });
    const joined = groupJoined(consumer);
    const redelivery = { signal: stopping.signal, backoffMs: settings.retryBackoffMs, log };
    await consumer.run(handleBatch ? {
      autoCommit: false,
      partitionsConsumedConcurrently: 1,
      eachBatch: async ({ batch, heartbeat }) => {
        if (stopping.signal.aborted || batch.messages.length === 0) return;
        const received = batchOfParts([new KafkaBatchPart(batch.topic, batch.partition, batch.messages)]);
        const last = lastOf(received);
        const handled = await deliverUntilHandled(last, () => handleBatch(received).then(untilStored), { ...redelivery, beforeRetry: heartbeat });
        if (handled) await consumer.commitOffsets([{ topic: batch.topic, partition: batch.partition, offset: nextOffset(last.offset) }]);
      },
    } : {
      autoCommit: false,
      partitionsConsumedConcurrently: 1,
      eachMessage: async ({ topic, partition, message, heartbeat }) => {
        // Once stopping, leave the rest uncommitted: the next consumer of the group gets them.
        if (stopping.signal.aborted) return;
        const received = toReceivedMessage(topic, partition, message);
        const handled = await deliverUntilHandled(received, options.handle, {
          signal: stopping.signal,
          backoffMs: settings.retryBackoffMs,
          log,
          beforeRetry: heartbeat,
        });
        if (handled) await consumer.commitOffsets([{ topic, partition, offset: nextOffset(message.offset) }]);
      },
    });
    await joined;
  } catch (error) {
    stopping.abort();
    await consumer.disconnect().catch(() => undefined);
    throw error;
  }

  let stopped: Promise<void> | undefined;
  return {
    stop() {
      stopped ??= (async () => {
        stopping.abort();
        await consumer.disconnect();
      })();
      return stopped;
    },
  };
}

// Resolving subscribe() only once the consumer is in its group keeps `fromBeginning: false`
// meaningful for messages published right after subscribe() returns.
export function groupJoined(consumer: Consumer): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, JOIN_TIMEOUT_MS);
    const removeListener = consumer.on(consumer.events.GROUP_JOIN, done);
    function done() {
      clearTimeout(timer);
      removeListener();
      resolve();
    }
  });
}
