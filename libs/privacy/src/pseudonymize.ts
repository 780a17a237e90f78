import { createHmac, createSecretKey, type KeyObject } from 'node:crypto';
import { cellText } from './cell-text';
import { privacyError } from './privacy-error';

/** Shortest pseudonymization key accepted: 256 bits, the strength of HMAC-SHA256 itself. */
export const MIN_KEY_BYTES = 32;

export type PseudonymizationKey = Uint8Array | string | KeyObject;

/** A key checked once, for pseudonymizing many values. Text keys count by their UTF-8 bytes. */
export function pseudonymizationKey(key: PseudonymizationKey): KeyObject {
  const secret = typeof key === 'string' || key instanceof Uint8Array ? createSecretKey(Buffer.from(key)) : key;
  if (secret.type !== 'secret' || (secret.symmetricKeySize ?? 0) < MIN_KEY_BYTES) {
    throw privacyError('PRIVACY.WEAK_KEY', `the pseudonymization key must be a secret of at least ${MIN_KEY_BYTES} bytes; generate one with \`openssl rand -hex 32\``);
  }
  return secret;
}

/**
 * Keyed HMAC-SHA256 of the value's text, as lower-case hex: the same value and key always give the
 * same pseudonym (so joins still work), and without the key it cannot be reversed or recomputed.
 * A missing value stays missing (null).
 */
export function pseudonymize(value: unknown, key: PseudonymizationKey): string | null {
  const text = cellText(value);
  if (text === null) return null;
  return createHmac('sha256', pseudonymizationKey(key)).update(text, 'utf8').digest('hex');
}
