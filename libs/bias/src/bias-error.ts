import { DomainError } from '@mgov/decider';

export type BiasErrorCode = 'BIAS.INVALID_OPTIONS' | 'BIAS.NO_ROWS' | 'BIAS.UNKNOWN_COLUMN' | 'BIAS.TOO_MANY_VALUES';

/** A bias scan that cannot be run as asked; the message says what to change. */
export function biasError(code: BiasErrorCode, message: string): DomainError {
  return new DomainError(code, message, code === 'BIAS.INVALID_OPTIONS' ? 400 : 422);
}
