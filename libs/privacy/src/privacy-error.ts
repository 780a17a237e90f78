import { DomainError } from '@mgov/decider';

export type PrivacyErrorCode = 'PRIVACY.WEAK_KEY' | 'PRIVACY.INVALID_TREATMENT' | 'PRIVACY.CANNOT_GENERALIZE' | 'PRIVACY.INVALID_K_ANONYMITY_OPTIONS';

/** A refusal of the privacy gate's inputs; messages never echo a data value, which may be personal. */
export function privacyError(code: PrivacyErrorCode, message: string): DomainError {
  return new DomainError(code, message, code === 'PRIVACY.CANNOT_GENERALIZE' ? 422 : 400);
}
