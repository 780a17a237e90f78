import type { Logger } from '@mgov/telemetry';
import { type Subscription, type SubscriptionOptions, untilStored } from '../message-bus';
import { batchOf } from '../received-batch';
import { deliverUntilHandled } from '../redelivery';
import { wakeLoop } from '../wake-loop';
import type { BusHub } from './bus-hub';
import type { EmbeddedLog } from './embedded-log';

export interface EmbeddedSubscriptionSettings {
  readonly schema: string;
  readonly log: EmbeddedLog;
  readonly hub: BusHub;
  readonly logger: Logger;
  readonly pollIntervalMs: number;
  readonly retryBackoffMs: number;
  readonly batchSize: number;
}

/**
 * A consumer loop: for each topic, read the messages after the group's committed offset, handle
 * them one by one (or as one batch, for a batch handler) and commit each once handled. Woken by publishes; polls as a fallback. While
 * another consumer of the same group is active, this one waits for its lease.
 */
export async function embeddedSubscription(options: SubscriptionOptions, settings: EmbeddedSubscriptionSettings): Promise<Subscription> {
  const { schema, log, hub, groupId } = { ...settings, groupId: options.groupId };
  const logger = settings.logger.child({ groupId });
  const topics = [...new Set(options.topics)];
  const stopping = new AbortController();
  const holder = {};
  // Next offset per topic; only trusted while this consumer holds the group's lease.
  let positions: Map<string, string> | undefined;

  // Fix the group's starting point now, so a publish right after subscribe() is not missed.
  for (const topic of topics) await log.position(groupId, topic, options.fromBeginning ?? false);

  const step = async (): Promise<number> => {
    if (!positions) {
      if (!hub.tryLease(schema, groupId, holder)) return 0;
      positions = new Map();
      for (const topic of topics) positions.set(topic, await log.position(groupId, topic, options.fromBeginning ?? false));
    }
    let handled = 0;
    for (const topic of topics) {
      const batch = await log.readFrom(topic, positions.get(topic)!, settings.batchSize);
      if (options.handleBatch && batch.length > 0) {
        // A batch consumer gets what was read at once, committed once handled (redelivered whole otherwise).
        const last = batch[batch.length - 1]!;
        const handleBatch = options.handleBatch;
        const received = batchOf(batch);
        const done = await deliverUntilHandled(last, () => handleBatch(received).then(untilStored), { signal: stopping.signal, backoffMs: settings.retryBackoffMs, log: logger });
        if (!done) return handled;
        const next = (BigInt(last.offset) + 1n).toString();
        await log.commit(groupId, topic, next);
        positions.set(topic, next);
        handled += batch.length;
        continue;
      }
      for (const message of batch) {
        const done = await deliverUntilHandled(message, options.handle, {
          signal: stopping.signal,
          backoffMs: settings.retryBackoffMs,
          log: logger,
        });
        if (!done) return handled;
        const next = (BigInt(message.offset) + 1n).toString();
        await log.commit(groupId, topic, next);
        positions.set(topic, next);
        handled++;
      }
    }
    return handled;
  };

  const loop = wakeLoop(step, { intervalMs: settings.pollIntervalMs, log: logger, what: `embedded consumer ${groupId}` });
  const unlisten = [
    ...topics.map((topic) => hub.onPublished(schema, topic, () => loop.notify())),
    hub.onReleased(schema, groupId, () => loop.notify()),
  ];

  let stopped: Promise<void> | undefined;
  return {
    stop() {
      stopped ??= (async () => {
        stopping.abort();
        for (const off of unlisten) off();
        await loop.stop();
        positions = undefined;
        hub.release(schema, groupId, holder);
      })();
      return stopped;
    },
  };
}
