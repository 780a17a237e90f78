import type { Checkpoint, Database, Sql, StoredEvent } from '@mgov/event-store';
import { logger } from '@mgov/telemetry';
import type { BusMessage, MessageBus } from './message-bus';
import { wakeLoop, type WakeLoop } from './wake-loop';

/** Reads committed events of the log after a checkpoint, in log order. */
export interface EventLogReader {
  readAfter(after: Checkpoint, limit: number): Promise<StoredEvent[]>;
}

/** Where a relay records how far it got. */
export interface RelayCheckpoints {
  load(name: string): Promise<Checkpoint>;
  store(tx: Sql, name: string, checkpoint: Checkpoint): Promise<void>;
}

export interface OutboxRelayOptions {
  /** The relay's checkpoint name; unique per (log, topic). */
  readonly name: string;
  readonly reader: EventLogReader;
  readonly checkpoints: RelayCheckpoints;
  readonly db: Database;
  readonly bus: MessageBus;
  readonly topic: string;
  /** The message to publish for an event, or null to pass over it (it still counts as relayed). */
  readonly toMessage: (event: StoredEvent) => BusMessage | null;
  /** Events per read and per publish (default 100). */
  readonly batchSize?: number;
}

export interface OutboxRelay {
  /** Relays one batch: publish, then store the checkpoint. Resolves how many log events it moved past. */
  runOnce(): Promise<number>;
  /** Relays continuously: batch after batch, then every `pollMs` or on `notify()`. */
  start(pollMs?: number): void;
  /** Wake the running relay now (e.g. right after an append). */
  notify(): void;
  stop(): Promise<void>;
  /** The last checkpoint this relay stored or loaded (undefined before its first run). */
  readonly checkpoint: Checkpoint | undefined;
}

/**
 * Publishes a log's committed events to a topic in log order (invariant 4). At-least-once: the
 * checkpoint is stored only after the publish succeeded, so a crash in between republishes the
 * batch and consumers deduplicate by event id.
 */
export function outboxRelay(options: OutboxRelayOptions): OutboxRelay {
  const batchSize = options.batchSize ?? 100;
  const log = logger('messaging.outbox-relay').child({ relay: options.name, topic: options.topic });
  let checkpoint: Checkpoint | undefined;
  let loop: WakeLoop | undefined;
  let turn: Promise<unknown> = Promise.resolve();

  const relayBatch = async (): Promise<number> => {
    const after = checkpoint ?? (checkpoint = await options.checkpoints.load(options.name));
    const events = await options.reader.readAfter(after, batchSize);
    if (events.length === 0) return 0;
    const messages = events.map(options.toMessage).filter((message): message is BusMessage => message !== null);
    if (messages.length > 0) await options.bus.publish(options.topic, messages);
    const last = events[events.length - 1];
    const next: Checkpoint = { transactionId: last.transactionId, position: last.position };
    await options.db.transaction((tx) => options.checkpoints.store(tx, options.name, next));
    checkpoint = next;
    return events.length;
  };

  // One batch at a time, whether from the loop or a direct runOnce().
  const runOnce = () => {
    const result = turn.then(relayBatch);
    turn = result.catch(() => undefined);
    return result;
  };

  return {
    runOnce,
    start(pollMs = 1000) {
      loop ??= wakeLoop(runOnce, { intervalMs: pollMs, log, what: 'outbox relay batch' });
    },
    notify() {
      loop?.notify();
    },
    async stop() {
      const running = loop;
      loop = undefined;
      await running?.stop();
      await turn;
    },
    get checkpoint() {
      return checkpoint;
    },
  };
}
