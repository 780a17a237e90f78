export type { Database, Sql } from './database';
export { START } from './stored-event';
export type { Checkpoint, ExpectedVersion, NewEvent, StoredEvent } from './stored-event';
export {
  AppendOnlyViolationError,
  ConcurrencyConflictError,
  DuplicateEventError,
  EventStoreError,
  EventStoreErrorCode,
  InvalidEventError,
  InvalidSchemaNameError,
  PermissionDeniedError,
} from './errors';
export { toEventStoreError } from './sql-error';
export { postgresDatabase, type PostgresDatabase, type PostgresDatabaseOptions } from './postgres-database';
export { embeddedDatabase, type EmbeddedDatabase } from './embedded-database';
export { migrate } from './migrate';
export { createAppRole, type AppRoleOptions } from './app-role';
export { createEventStore, type AppendResult, type EventStore, type ReadStreamOptions, type StreamAppend } from './event-store';
export { checkpointAfter } from './stored-event-row';
export { chainHash, GENESIS_HASH, type ChainedEvent } from './hash-chain';
export { verifyChains, type BrokenLink, type ChainVerification } from './verify-chains';
export { createCheckpointStore, type CheckpointStore } from './checkpoint-store';
export { projectionSubscriber, type Projection } from './projection';
export { projectionRunner, type BatchResult, type ProjectionRunner, type ProjectionRunnerOptions } from './projection-runner';
export { pollLoop, type PollLoop, type PollLoopOptions } from './poll-loop';
