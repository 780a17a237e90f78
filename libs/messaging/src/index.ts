export type { BusMessage, MessageBus, ReceivedMessage, Subscription, SubscriptionOptions } from './message-bus';
export { ALL_TOPICS, EVENT_CONTEXTS, Topics, type EventTopicContext } from './topics';
export { kafkaBus, type KafkaBusOptions } from './kafka/kafka-bus';
export { embeddedBus, type EmbeddedBusOptions } from './embedded/embedded-bus';
export { DeadLetterHeaders, withDeadLetters, type Decode, type DeadLetterOptions } from './dead-letters';
export { outboxRelay, type EventLogReader, type OutboxRelay, type OutboxRelayOptions, type RelayCheckpoints } from './outbox-relay';
export { migrateInbox, processOnce, type InboxKey } from './inbox';
export { extractTraceContext, injectTraceHeaders } from './trace-headers';
