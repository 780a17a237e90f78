import { DomainError } from '@mgov/decider';

/**
 * A source's license expiry as callers send it (ISO 8601 date or date-time, or epoch ms) → epoch ms,
 * or null when the license does not expire. A bare date is 00:00 UTC of that day: the conservative
 * reading, under which the license counts as expired from that day on.
 */
export function parseLicenseExpiry(value: unknown): number | null {
  if (value === undefined || value === null || value === '') return null;
  const ms = typeof value === 'number' ? value : typeof value === 'string' && /^\d{4}-\d{2}-\d{2}/.test(value) ? Date.parse(value) : Number.NaN;
  if (!Number.isSafeInteger(ms)) {
    throw new DomainError('LINEAGE.INVALID_LICENSE_EXPIRY', `licenseExpiresAt must be an ISO 8601 date (2027-12-31) or epoch milliseconds, not ${JSON.stringify(value)}`, 400);
  }
  return ms;
}
