import type { AvroCodec, EnvelopedEvent, EventContext, Prediction } from '@mgov/contracts';
import type { Database, EventStore, Sql } from '@mgov/event-store';
import type { MessageBus } from '@mgov/messaging';
import type { CommandExecutor } from './command-executor';
import type { Clock } from './ports';

export type ServiceName = EventContext | 'audit';

/** What a service's application code is given by the composition root. */
export interface ServiceRuntime {
  readonly name: ServiceName;
  readonly db: Database;
  readonly schema: string;
  readonly store: EventStore;
  readonly codec: AvroCodec;
  readonly bus: MessageBus;
  readonly commands: CommandExecutor;
  readonly clock: Clock;
  readonly newId: () => string;
}

/** A read model over the service's own log; its rows and checkpoint commit together. */
export interface ReadModel {
  readonly name: string;
  readonly version: number;
  setup(tx: Sql): Promise<void>;
  reset(tx: Sql): Promise<void>;
  handle(tx: Sql, event: EnvelopedEvent): Promise<void>;
  /** Optional: a batch of events at once (fewer statements than one `handle` each); same result. */
  handleBatch?(tx: Sql, events: readonly EnvelopedEvent[]): Promise<void>;
}

/** A decoded bus message: an MGov event, or a public message such as a prediction. */
export type DecodedMessage =
  | {
      readonly kind: 'event';
      readonly event: EnvelopedEvent;
      readonly topic: string;
      /** The exact bytes received, for consumers that keep originals (audit). */
      readonly bytes: Buffer;
      readonly partition: number;
      readonly offset: string;
    }
  | { readonly kind: 'prediction'; readonly prediction: Prediction; readonly topic: string };

/** Reacts to other services' messages. Handling runs once per message id, in one transaction. */
export interface Reactor {
  readonly name: string;
  readonly topics: readonly string[];
  /** Creates the reactor's tables if missing. */
  setup?(tx: Sql): Promise<void>;
  handle(tx: Sql, message: DecodedMessage): Promise<void>;
}

/** An extra topic a service publishes some of its own events on (e.g. mgov.quarantine). */
export interface Publication {
  readonly name: string;
  readonly topic: string;
  readonly eventTypes: readonly string[];
  readonly key: (event: EnvelopedEvent) => string;
}

export interface ServiceModule {
  readonly readModels: readonly ReadModel[];
  readonly reactors: readonly Reactor[];
  readonly publications?: readonly Publication[];
  /** Runs once the read models have caught up and the reactors run (e.g. seeding the bootstrap admin); a failure fails the start. */
  readonly onStarted?: () => Promise<void>;
  /** Stops what onStarted began (timers, signers), before the kernel's own plumbing stops. */
  readonly onStopped?: () => Promise<void>;
}
