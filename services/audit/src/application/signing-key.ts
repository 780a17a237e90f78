import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { existsSync, linkSync, mkdirSync, readFileSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { logger } from '@mgov/telemetry';
import type { DigestSignerConfig } from './audit-config';

const log = logger('audit');
export const GENERATED_KEY_FILE = 'audit-digest-signing-key.pem';

/** The Ed25519 key pair that signs ledger digests. */
export interface SigningKey {
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
  /** `sha256:` + hex of the DER (SPKI) public key. */
  readonly keyId: string;
  readonly publicKeyPem: string;
}

const loaded = new Map<string, SigningKey>();

/** The configured key cannot be used: routes that need it answer 503 with this code. */
export class SigningKeyUnavailableError extends Error {
  readonly code = 'AUDIT.SIGNING_KEY_UNAVAILABLE';
  readonly status = 503;
}

/**
 * The configured key (MGOV_AUDIT_SIGNING_KEY_FILE), else the one generated on first use in
 * `keyDir`. Cached per file, so the signer and the HTTP routes share one key.
 */
export function loadSigningKey(config: Pick<DigestSignerConfig, 'keyFile' | 'keyDir'>): SigningKey {
  const file = resolve(config.keyFile ?? join(config.keyDir, GENERATED_KEY_FILE));
  const cached = loaded.get(file);
  if (cached) return cached;
  if (!config.keyFile && !existsSync(file)) generateKeyFile(file);
  const key = fromPem(file);
  loaded.set(file, key);
  return key;
}

function fromPem(file: string): SigningKey {
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey(readFileSync(file));
  } catch (error) {
    throw new SigningKeyUnavailableError(`cannot read the ledger-digest signing key ${file}: ${(error as Error).message}; it must be a PEM Ed25519 private key`);
  }
  if (privateKey.asymmetricKeyType !== 'ed25519') {
    throw new SigningKeyUnavailableError(`the ledger-digest signing key ${file} is ${privateKey.asymmetricKeyType}, not Ed25519 (openssl genpkey -algorithm ed25519)`);
  }
  if ((statSync(file).mode & 0o077) !== 0) log.warn({ file }, 'the ledger-digest signing key is readable by other users; chmod 600 it');
  const publicKey = createPublicKey(privateKey);
  const der = publicKey.export({ type: 'spki', format: 'der' });
  return {
    privateKey,
    publicKey,
    keyId: `sha256:${createHash('sha256').update(der).digest('hex')}`,
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
}

/** Written whole under a temporary name, then linked in: a concurrent starter either wins or reads the winner's key. */
function generateKeyFile(file: string): void {
  const { privateKey } = generateKeyPairSync('ed25519');
  mkdirSync(resolve(file, '..'), { recursive: true, mode: 0o700 });
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
  try {
    linkSync(temporary, file);
    log.warn({ file }, `generated a new Ed25519 key for signing ledger digests and stored it at ${file} (mode 0600); `
      + 'back it up, or set MGOV_AUDIT_SIGNING_KEY_FILE to use your own');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    unlinkSync(temporary);
  }
}
