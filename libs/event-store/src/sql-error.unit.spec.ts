import { AppendOnlyViolationError, ConcurrencyConflictError, DuplicateEventError, EventStoreErrorCode, PermissionDeniedError } from './errors';
import { toEventStoreError } from './sql-error';

describe('toEventStoreError', () => {
  it('maps the conflict SQLSTATE and its JSON detail, also when wrapped by TypeORM', () => {
    const pgError = { code: 'MG001', message: 'stream s is at version 3, expected 2', detail: '{"streamId":"s","expected":2,"actual":3}' };
    for (const raw of [pgError, { message: 'Query failed', driverError: pgError }]) {
      const mapped = toEventStoreError(raw);
      expect(mapped).toBeInstanceOf(ConcurrencyConflictError);
      expect(mapped).toMatchObject({ code: EventStoreErrorCode.ConcurrencyConflict, streamId: 's', expected: 2, actual: 3, cause: raw });
    }
  });

  it('maps append-only, privilege and duplicate-id errors, and leaves everything else alone', () => {
    expect(toEventStoreError({ code: 'MG002', message: 'DELETE on x.events is not allowed' })).toBeInstanceOf(AppendOnlyViolationError);
    expect(toEventStoreError({ code: '42501', message: 'permission denied for table events' })).toBeInstanceOf(PermissionDeniedError);
    expect(toEventStoreError({ code: '23505', constraint: 'events_event_id_key', message: 'duplicate key' })).toBeInstanceOf(DuplicateEventError);
    const other = { code: '23505', constraint: 'stream_summary_pkey', message: 'duplicate key' };
    expect(toEventStoreError(other)).toBe(other);
    const plain = new Error('boom');
    expect(toEventStoreError(plain)).toBe(plain);
    expect(toEventStoreError('text')).toBe('text');
  });
});
