import { randomUUID } from 'node:crypto';
import { type AvroCodec, avroCodec, type EnvelopedEvent } from '@mgov/contracts';
import {
  createCheckpointStore, createEventStore, type Database, migrate, type Projection, projectionRunner, type ProjectionRunner, type Sql, type StoredEvent,
} from '@mgov/event-store';
import {
  type MessageBus, migrateInbox, outboxRelay, processOnce, type Subscription, type SubscriptionOptions, Topics, withDeadLetters,
} from '@mgov/messaging';
import { Attr, contextFrom, inSpan, logger, SpanName } from '@mgov/telemetry';
import { apiKeyProjection } from './api-key-projection';
import { CommandExecutor } from './command-executor';
import { type Clock, systemClock } from './ports';
import { decodeMessage, messageId } from './message-decoding';
import type { ReadModel, ServiceModule, ServiceName, ServiceRuntime } from './service-module';

export interface KernelOptions {
  readonly name: ServiceName;
  readonly db: Database;
  readonly bus: MessageBus;
  /** The PostgreSQL schema holding this service's log and read models (default `mgov_<name>`). */
  readonly schema?: string;
  readonly codec?: AvroCodec;
  readonly clock?: Clock;
  readonly pollMs?: number;
  /** How reactors' consumer groups are subscribed; the host routes them through a Nest transport. */
  readonly subscribe?: (options: SubscriptionOptions) => Promise<Subscription> | Subscription;
}

interface Stoppable {
  stop(): Promise<void> | void;
}

/**
 * Runs one service's plumbing: its event store, read models, outbox relays and reactors.
 * The same kernel runs in the embedded and the distributed runtime; only the db and bus differ.
 */
export class ServiceKernel {
  readonly runtime: ServiceRuntime;
  private readonly log;
  private readonly runners: ProjectionRunner[] = [];
  private readonly wakeables: Array<{ notify(): void }> = [];
  private readonly running: Stoppable[] = [];
  private readonly subscriptions: Subscription[] = [];
  private onStopped: (() => Promise<void>) | undefined;

  constructor(private readonly options: KernelOptions) {
    const schema = options.schema ?? `mgov_${options.name}`;
    const store = createEventStore(options.db, schema);
    const codec = options.codec ?? avroCodec();
    this.log = logger(options.name);
    this.runtime = {
      name: options.name,
      db: options.db,
      schema,
      store,
      codec,
      bus: options.bus,
      clock: options.clock ?? systemClock,
      newId: randomUUID,
      commands: new CommandExecutor(store, codec, () => this.wake(), randomUUID, options.name),
    };
  }

  /** Wakes read models and relays after new events were committed. */
  wake(): void {
    for (const w of this.wakeables) w.notify();
  }

  async start(module: ServiceModule): Promise<void> {
    const { db, schema, store, codec, bus, name } = this.runtime;
    const pollMs = this.options.pollMs ?? 250;
    await migrate(db, schema);
    await migrateInbox(db, schema);

    for (const readModel of module.readModels) {
      const runner = projectionRunner(store, this.asProjection(readModel));
      await runner.setup();
      await runner.catchUp();
      this.runners.push(runner);
      const loop = runner.start({ intervalMs: pollMs });
      this.wakeables.push(loop);
      this.running.push(loop);
    }

    const publications = [
      { name: 'events', topic: Topics.events(name), eventTypes: null as readonly string[] | null, key: (e: EnvelopedEvent) => e.envelope.streamId },
      ...(module.publications ?? []).map((p) => ({ ...p, eventTypes: p.eventTypes })),
    ];
    // Every service verifies API keys itself, from its own projection of audit's key events.
    const reactors = [...module.reactors, apiKeyProjection(schema)];
    const reactorTopics = reactors.flatMap((r) => r.topics);
    await bus.ensureTopics([...new Set([...publications.map((p) => p.topic), ...reactorTopics, Topics.dlq])]);

    const checkpoints = createCheckpointStore(schema);
    for (const publication of publications) {
      const relay = outboxRelay({
        name: `relay:${publication.name}:${publication.topic}`,
        db,
        bus,
        topic: publication.topic,
        reader: { readAfter: (after, limit) => store.readAll(after, limit) },
        checkpoints: { load: (subscriber) => checkpoints.load(db, subscriber), store: (tx, subscriber, cp) => checkpoints.store(tx, subscriber, cp) },
        toMessage: (stored: StoredEvent) => {
          if (publication.eventTypes && !publication.eventTypes.includes(stored.type)) return null;
          const event = codec.decodeEvent(stored.data);
          const headers: Record<string, string> = { 'mgov-event-type': stored.type };
          if (event.envelope.traceparent) headers.traceparent = event.envelope.traceparent;
          if (event.envelope.tracestate) headers.tracestate = event.envelope.tracestate;
          return { key: publication.key(event), value: stored.data, headers };
        },
      });
      relay.start(pollMs);
      this.wakeables.push(relay);
      this.running.push(relay);
    }

    for (const reactor of reactors) {
      if (reactor.setup) await db.transaction((tx) => reactor.setup!(tx));
      const groupId = `mgov.${name}.${reactor.name}`;
      const subscribe = this.options.subscribe ?? ((options: SubscriptionOptions) => bus.subscribe(options));
      const subscription = await subscribe({
        groupId,
        topics: reactor.topics,
        fromBeginning: true,
        handle: withDeadLetters(bus, { groupId, decode: (message) => decodeMessage(codec, message) }, async (decoded, message) => {
          const parent = contextFrom({ traceparent: message.headers.traceparent, tracestate: message.headers.tracestate });
          const attributes = { [Attr.service]: name, [Attr.topic]: message.topic, [Attr.messagingSystem]: 'kafka' };
          await inSpan(SpanName.consume(message.topic), attributes, async () => {
            await processOnce(db, { schema, consumer: reactor.name, eventId: messageId(decoded) }, (tx) => reactor.handle(tx, decoded));
          }, parent);
          this.wake();
        }),
      });
      this.subscriptions.push(subscription);
    }
    this.onStopped = module.onStopped;
    await module.onStarted?.();
    this.log.info({ schema, readModels: module.readModels.length, reactors: reactors.length }, 'service started');
  }

  /** Rebuilds every read model from position 0 (used by tests and by operators). */
  async rebuildReadModels(): Promise<number> {
    let total = 0;
    for (const runner of this.runners) total += await runner.rebuild();
    return total;
  }

  async catchUpReadModels(): Promise<void> {
    for (const runner of this.runners) await runner.catchUp();
  }

  async stop(): Promise<void> {
    await this.onStopped?.();
    for (const subscription of this.subscriptions.splice(0)) await subscription.stop();
    for (const r of this.running.splice(0)) await r.stop();
  }

  private asProjection(readModel: ReadModel): Projection {
    const { codec } = this.runtime;
    return {
      name: readModel.name,
      version: readModel.version,
      setup: (tx) => readModel.setup(tx),
      reset: (tx) => readModel.reset(tx),
      handle: (tx, stored) => readModel.handle(tx, codec.decodeEvent(stored.data)),
      ...(readModel.handleBatch ? { handleBatch: (tx: Sql, stored: readonly StoredEvent[]) => readModel.handleBatch!(tx, stored.map((s) => codec.decodeEvent(s.data))) } : {}),
    };
  }
}
