import type { ReceivedBatch } from './received-batch';

/** A message as it travels on a topic: opaque bytes plus string headers. */
export interface BusMessage {
  readonly key: string;
  readonly value: Buffer;
  readonly headers?: Readonly<Record<string, string>>;
}

export interface ReceivedMessage extends BusMessage {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
  readonly headers: Readonly<Record<string, string>>;
}

export interface SubscriptionOptions {
  /** Consumers sharing a group id split the partitions; each group sees every message. */
  readonly groupId: string;
  readonly topics: readonly string[];
  /** Where a group with no committed offset starts. */
  readonly fromBeginning?: boolean;
  /**
   * Called once per message, in order per partition. The offset is committed only after it
   * resolves (at-least-once); if it throws, the message is delivered again.
   */
  readonly handle: (message: ReceivedMessage) => Promise<void>;
  /**
   * Optional, for high-volume consumers: adapters that fetch in batches (Kafka) call this with each
   * fetched batch (of one partition, unless `fetchThread`) instead of `handle`, and commit after it resolves; a failure
   * redelivers the whole batch. Adapters without batches call `handle`. Values can be read in place
   * (see ReceivedBatch): a handler of millions of messages need not make an object per message.
   */
  readonly handleBatch?: (batch: ReceivedBatch) => Promise<void | TakenBatch>;
  /**
   * With `handleBatch`, for a service's heaviest consumer: adapters that can (Kafka) fetch and decode
   * on a thread of their own, ahead of the handler, so fetching overlaps handling. Batches fetched
   * meanwhile come to the handler together (several partitions, each in offset order). It costs a
   * thread and a connection; delivery semantics are the same. A batch's memory goes back to the
   * thread once the batch is handled (or stored, when taken): a message read after that throws, so
   * a handler copies what it keeps.
   */
  readonly fetchThread?: boolean;
  /**
   * With `fetchThread`: the fetch thread's scheduling priority below the handler's (Linux nice,
   * 1-19), so that a handler which is the bottleneck runs first when cores are short; the thread
   * fetches ahead, and has slack. Unset: the same priority.
   */
  readonly fetchThreadNice?: number;
}

/**
 * What `handleBatch` may resolve with instead of nothing: the batch is taken (its effects are held
 * by the handler, not stored yet), and `stored` settles once they are. An adapter that can (Kafka
 * with `fetchThread`) hands over the next batch meanwhile, so that storing one overlaps handling
 * the next, and commits a batch only once it is stored. When `stored` rejects, that batch and every
 * batch handed over after it are delivered again, in order: the handler is to forget them all
 * (a batch's `stored` must not resolve when an earlier one's rejected). Other adapters await
 * `stored` as part of handling the batch.
 */
export interface TakenBatch {
  readonly stored: Promise<void>;
}

/** A batch handler's result, awaited whole: for adapters that hand over one batch at a time. */
export async function untilStored(taken: void | TakenBatch): Promise<void> {
  if (taken) await taken.stored;
}

export interface Subscription {
  stop(): Promise<void>;
}

/** The bus port. Adapters: Kafka (kafkajs) and embedded (in-process, persisted). */
export interface MessageBus {
  ensureTopics(topics: readonly string[]): Promise<void>;
  publish(topic: string, messages: readonly BusMessage[]): Promise<void>;
  subscribe(options: SubscriptionOptions): Promise<Subscription>;
  close(): Promise<void>;
}
