import { BaseRpcContext, type CustomTransportStrategy, Server } from '@nestjs/microservices';
import type { MessageBus, ReceivedMessage, Subscription, SubscriptionOptions } from '@mgov/messaging';

/** The context a bus message handler receives: the message as the bus delivered it. */
export class BusContext extends BaseRpcContext<[ReceivedMessage]> {
  get message(): ReceivedMessage {
    return this.getArgByIndex(0);
  }
}

interface Registration {
  readonly groupId: string;
  readonly topics: readonly string[];
  readonly fromBeginning?: boolean;
}

/**
 * A NestJS microservice transport over MGov's bus port (Kafka or embedded). Each consumer group
 * is one event handler of this server; `listen` subscribes them, and a handler's failure is the
 * bus's redelivery, so at-least-once delivery, DLQ and inbox semantics stay those of the bus.
 */
export class BusTransport extends Server implements CustomTransportStrategy {
  private readonly subscriptions: Subscription[] = [];

  constructor(private readonly bus: MessageBus) {
    super();
  }

  /** Registers a consumer group as an event handler; it starts consuming when the server listens. */
  register(options: SubscriptionOptions): Subscription {
    const registration: Registration = { groupId: options.groupId, topics: options.topics, fromBeginning: options.fromBeginning };
    this.addHandler(options.groupId, (message: ReceivedMessage) => options.handle(message), true, registration);
    return { stop: async () => undefined };
  }

  async listen(callback: (...optionalParams: unknown[]) => void): Promise<void> {
    try {
      for (const [pattern, handler] of this.getHandlers()) {
        const { groupId, topics, fromBeginning } = handler.extras as Registration;
        this.subscriptions.push(await this.bus.subscribe({
          groupId, topics, fromBeginning,
          handle: (message) => this.handleEvent(pattern, { pattern, data: message }, new BusContext([message])),
        }));
      }
      callback();
    } catch (error) {
      callback(error);
    }
  }

  async close(): Promise<void> {
    for (const subscription of this.subscriptions.splice(0)) await subscription.stop();
  }

  on(): void {
    // The bus reports its own failures through the structured logger.
  }

  unwrap<T>(): T {
    return this.bus as T;
  }
}
