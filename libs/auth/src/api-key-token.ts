import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * An API key as presented: `mgov_<keyId>_<secret>`. The key id (lower-case letters and digits) finds
 * the key; only the sha256 of the secret is ever stored. Secrets are at least 256 random bits, so a
 * plain sha256 (no salt, no stretching) cannot be reversed or guessed.
 */
export interface ApiKeyToken {
  readonly keyId: string;
  readonly secret: string;
}

export const API_KEY_PREFIX = 'mgov_';
export const KEY_ID_PATTERN = /^[a-z0-9]{4,32}$/;
/** 43 base64url characters are 256 bits. */
const SECRET_PATTERN = /^[A-Za-z0-9_-]{43,256}$/;
export const HASH_ALGORITHM = 'sha256';

export function formatApiKey(token: ApiKeyToken): string {
  return `${API_KEY_PREFIX}${token.keyId}_${token.secret}`;
}

export function looksLikeApiKey(presented: string): boolean {
  return presented.startsWith(API_KEY_PREFIX);
}

/** The parts of a well-formed key, or null. The secret may itself contain `_`. */
export function parseApiKey(presented: string): ApiKeyToken | null {
  if (!looksLikeApiKey(presented)) return null;
  const rest = presented.slice(API_KEY_PREFIX.length);
  const separator = rest.indexOf('_');
  if (separator < 0) return null;
  const keyId = rest.slice(0, separator);
  const secret = rest.slice(separator + 1);
  return KEY_ID_PATTERN.test(keyId) && SECRET_PATTERN.test(secret) ? { keyId, secret } : null;
}

/** Lower-case hex sha256 of the secret: what events and projections keep instead of it. */
export function hashApiKeySecret(secret: string): string {
  return createHash(HASH_ALGORITHM).update(secret, 'utf8').digest('hex');
}

/** Compares in constant time (both sides are fixed-length digests, so nothing leaks through length). */
export function apiKeySecretMatches(secret: string, storedHash: string): boolean {
  const presented = createHash(HASH_ALGORITHM).update(secret, 'utf8').digest();
  const stored = Buffer.from(storedHash, 'hex');
  return stored.length === presented.length && timingSafeEqual(presented, stored);
}
