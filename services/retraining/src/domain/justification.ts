import { DomainError } from '@mgov/decider';

export const MIN_JUSTIFICATION = 10;

/** Every human decision says why, in at least a short sentence. */
export function requireJustification(value: unknown): string {
  if (typeof value !== 'string' || value.trim().length < MIN_JUSTIFICATION) {
    throw new DomainError('RETRAINING.JUSTIFICATION_REQUIRED', `give a justification of at least ${MIN_JUSTIFICATION} characters saying why`, 400);
  }
  return value.trim();
}
