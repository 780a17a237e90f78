/** Stable error codes of the event store; messages say what was wrong and what to do. */
export const EventStoreErrorCode = {
  ConcurrencyConflict: 'EVENT_STORE.CONCURRENCY_CONFLICT',
  AppendOnly: 'EVENT_STORE.APPEND_ONLY',
  PermissionDenied: 'EVENT_STORE.PERMISSION_DENIED',
  DuplicateEvent: 'EVENT_STORE.DUPLICATE_EVENT',
  InvalidEvent: 'EVENT_STORE.INVALID_EVENT',
  InvalidSchemaName: 'EVENT_STORE.INVALID_SCHEMA_NAME',
} as const;

export type EventStoreErrorCode = (typeof EventStoreErrorCode)[keyof typeof EventStoreErrorCode];

/** Base class of every error the event store raises on purpose. */
export abstract class EventStoreError extends Error {
  abstract readonly code: EventStoreErrorCode;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** Append with an expected version that no longer matches the stream (invariant 1). Nothing was written. */
export class ConcurrencyConflictError extends EventStoreError {
  readonly code = EventStoreErrorCode.ConcurrencyConflict;

  constructor(
    readonly streamId: string,
    readonly expected: number,
    readonly actual: number,
    options?: { cause?: unknown },
  ) {
    super(
      `Stream "${streamId}" is at version ${actual}, not the expected ${expected}: ` +
        'reload the stream, decide again and retry the append.',
      options,
    );
  }
}

/** Someone tried to UPDATE, DELETE or TRUNCATE the log (invariant 2). */
export class AppendOnlyViolationError extends EventStoreError {
  readonly code = EventStoreErrorCode.AppendOnly;
}

/** The database role lacks a privilege (the application role may never change the log). */
export class PermissionDeniedError extends EventStoreError {
  readonly code = EventStoreErrorCode.PermissionDenied;
}

/** An event id that is already in the log: event ids are globally unique. */
export class DuplicateEventError extends EventStoreError {
  readonly code = EventStoreErrorCode.DuplicateEvent;
}

/** An append the store refuses before touching the database (empty batch, bad stream id or type). */
export class InvalidEventError extends EventStoreError {
  readonly code = EventStoreErrorCode.InvalidEvent;
}

export class InvalidSchemaNameError extends EventStoreError {
  readonly code = EventStoreErrorCode.InvalidSchemaName;
}
