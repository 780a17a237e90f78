import { type Admin, Kafka, logLevel as KafkaLogLevel, type Producer } from 'kafkajs';
import { logger } from '@mgov/telemetry';
import type { MessageBus, Subscription } from '../message-bus';
import { outgoingHeaders } from '../trace-headers';
import { kafkaLogCreator } from './kafka-log';
import type { KafkaSecurity } from './kafka-security';
import { kafkaSubscription } from './kafka-subscription';
import { kafkaThreadSubscription } from './kafka-thread-subscription';
import { createMissingTopics } from './kafka-topics';

export interface KafkaBusOptions {
  /** `host:port` list, or one comma-separated string. */
  readonly brokers: readonly string[] | string;
  readonly clientId: string;
  /** kafkajs' own log level (default WARN); its lines go to MGov's structured log. */
  readonly logLevel?: KafkaLogLevel;
  /** Partitions of the topics ensureTopics creates (default: the broker's num.partitions). */
  readonly partitions?: number;
  /** First pause before a failed message is handled again (default 500 ms, doubling up to 10 s). */
  readonly retryBackoffMs?: number;
  /**
   * How long the group waits for a silent consumer before giving its partitions to another (kafkajs'
   * default 30 s): shorter means faster failover after a crash, at the cost of more rebalances under GC pauses.
   */
  readonly sessionTimeoutMs?: number;
  /** SASL credentials and TLS (see kafkaSecurityFromEnv); none: an unauthenticated local broker. */
  readonly security?: KafkaSecurity;
}

/** The distributed runtime's bus: Apache Kafka through kafkajs. */
export function kafkaBus(options: KafkaBusOptions): MessageBus {
  const log = logger('messaging.kafka').child({ clientId: options.clientId });
  const brokers = typeof options.brokers === 'string' ? options.brokers.split(',') : [...options.brokers];
  const kafka = new Kafka({
    clientId: options.clientId,
    brokers,
    logLevel: options.logLevel ?? KafkaLogLevel.WARN,
    logCreator: kafkaLogCreator(log),
    ...options.security,
  });
  const subscriptions = new Set<Subscription>();
  let producer: Promise<Producer> | undefined;
  let admin: Promise<Admin> | undefined;
  let closed = false;

  // Connected on first use; a failed connect is retried by the next call.
  const connected = <T extends { connect(): Promise<void> }>(client: T): Promise<T> => client.connect().then(() => client);
  const getProducer = () =>
    (producer ??= connected(kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false })).catch(
      (error: unknown) => {
        producer = undefined;
        throw error;
      },
    ));
  const getAdmin = () =>
    (admin ??= connected(kafka.admin()).catch((error: unknown) => {
      admin = undefined;
      throw error;
    }));
  const assertOpen = () => {
    if (closed) throw new Error('the Kafka bus is closed');
  };

  return {
    async ensureTopics(topics) {
      assertOpen();
      await createMissingTopics(await getAdmin(), topics, options.partitions);
    },
    async publish(topic, messages) {
      assertOpen();
      if (messages.length === 0) return;
      await (await getProducer()).send({
        topic,
        acks: -1,
        messages: messages.map((m) => ({ key: m.key, value: m.value, headers: outgoingHeaders(m.headers) })),
      });
    },
    async subscribe(subscription) {
      assertOpen();
      const retryBackoffMs = options.retryBackoffMs ?? 500;
      const { handleBatch } = subscription;
      const running = handleBatch && subscription.fetchThread
        ? await kafkaThreadSubscription(
          { clientId: options.clientId, brokers, logLevel: options.logLevel ?? KafkaLogLevel.WARN, sessionTimeoutMs: options.sessionTimeoutMs, ...options.security },
          { ...subscription, handleBatch },
          { retryBackoffMs, log },
        )
        : await kafkaSubscription(kafka, subscription, { retryBackoffMs, sessionTimeoutMs: options.sessionTimeoutMs, log });
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
      const clients = await Promise.allSettled([producer, admin].filter((c) => c !== undefined));
      await Promise.allSettled(clients.map((c) => (c.status === 'fulfilled' ? c.value.disconnect() : undefined)));
    },
  };
}
