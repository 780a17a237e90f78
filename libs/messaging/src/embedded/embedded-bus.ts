import type { Database } from '@mgov/event-store';
import { logger } from '@mgov/telemetry';
import type { MessageBus, Subscription } from '../message-bus';
import { outgoingHeaders } from '../trace-headers';
import { busHub } from './bus-hub';
import { embeddedLog } from './embedded-log';
import { migrateEmbeddedBus } from './embedded-schema';
import { embeddedSubscription } from './embedded-subscription';

export interface EmbeddedBusOptions {
  /** The schema holding the bus' tables (created on first use). */
  readonly schema: string;
  /** Fallback poll when no in-process publish woke a consumer (default 1000 ms). */
  readonly pollIntervalMs?: number;
  /** First pause before a failed message is handled again (default 500 ms, doubling up to 10 s). */
  readonly retryBackoffMs?: number;
  /** Messages read per query (default 100). */
  readonly batchSize?: number;
}

/**
 * The embedded runtime's bus, persisted in the embedded database so a restart loses nothing.
 * Same delivery semantics as Kafka: at-least-once, ordered (one partition per topic), committed
 * offsets per group, failed messages retried, never skipped. `close()` leaves `db` open.
 */
export function embeddedBus(db: Database, options: EmbeddedBusOptions): MessageBus {
  const { schema } = options;
  const log = embeddedLog(db, schema);
  const hub = busHub(db);
  const subscriptions = new Set<Subscription>();
  const busLogger = logger('messaging.embedded').child({ schema });
  let migrated: Promise<void> | undefined;
  let closed = false;

  const ready = async () => {
    if (closed) throw new Error('the embedded bus is closed');
    await (migrated ??= migrateEmbeddedBus(db, schema).catch((error: unknown) => {
      migrated = undefined;
      throw error;
    }));
  };

  return {
    async ensureTopics(topics) {
      await ready();
      if (topics.length > 0) await log.createTopics(topics);
    },
    async publish(topic, messages) {
      await ready();
      if (messages.length === 0) return;
      await log.append(
        topic,
        messages.map((m) => ({ key: m.key, value: m.value, headers: outgoingHeaders(m.headers) })),
      );
      hub.published(schema, topic);
    },
    async subscribe(subscription) {
      await ready();
      const running = await embeddedSubscription(subscription, {
        schema,
        log,
        hub,
        logger: busLogger,
        pollIntervalMs: options.pollIntervalMs ?? 1000,
        retryBackoffMs: options.retryBackoffMs ?? 500,
        batchSize: options.batchSize ?? 100,
      });
      const tracked: Subscription = {
        stop: async () => {
          subscriptions.delete(tracked);
          await running.stop();
        },
      };
      subscriptions.add(tracked);
      return tracked;
    },
    async close() {
      if (closed) return;
      closed = true;
      await Promise.allSettled([...subscriptions].map((s) => s.stop()));
    },
  };
}
