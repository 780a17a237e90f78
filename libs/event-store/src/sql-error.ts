import {
  AppendOnlyViolationError,
  ConcurrencyConflictError,
  DuplicateEventError,
  EventStoreError,
  InvalidEventError,
  PermissionDeniedError,
} from './errors';

/** SQLSTATEs raised by the store's own plpgsql (class "MG" is not used by PostgreSQL). */
export const SqlState = {
  ConcurrencyConflict: 'MG001',
  AppendOnly: 'MG002',
  UniqueViolation: '23505',
  CheckViolation: '23514',
  InsufficientPrivilege: '42501',
} as const;

interface DriverError {
  readonly code?: unknown;
  readonly message?: unknown;
  readonly detail?: unknown;
  readonly constraint?: unknown;
  readonly driverError?: DriverError;
}

/**
 * Turns a driver error (pg through TypeORM's QueryFailedError, or PGlite) into the store's coded
 * error when it is one the store raises on purpose; anything else is returned unchanged.
 */
export function toEventStoreError(error: unknown): unknown {
  if (error instanceof EventStoreError || typeof error !== 'object' || error === null) return error;
  const raw = error as DriverError;
  const driver = raw.driverError ?? raw;
  const message = String(driver.message ?? raw.message ?? '');
  switch (driver.code) {
    case SqlState.ConcurrencyConflict: {
      const detail = parseDetail(driver.detail);
      return new ConcurrencyConflictError(
        String(detail.streamId ?? ''),
        Number(detail.expected),
        Number(detail.actual),
        { cause: error },
      );
    }
    case SqlState.AppendOnly:
      return new AppendOnlyViolationError(message, { cause: error });
    case SqlState.InsufficientPrivilege:
      return new PermissionDeniedError(
        `${message}: the application role may only read and append to the log.`,
        { cause: error },
      );
    case SqlState.UniqueViolation:
      return driver.constraint === 'events_event_id_key'
        ? new DuplicateEventError(`${message}: an event with this id is already in the log.`, { cause: error })
        : error;
    case SqlState.CheckViolation:
      return String(driver.constraint ?? '').startsWith('events_')
        ? new InvalidEventError(`${message}: stream ids and event types may not contain "|".`, { cause: error })
        : error;
    default:
      return error;
  }
}

function parseDetail(detail: unknown): Record<string, unknown> {
  try {
    const parsed: unknown = JSON.parse(String(detail));
    return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}
