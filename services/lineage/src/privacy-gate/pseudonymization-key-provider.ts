import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { DomainError } from '@mgov/decider';
import { pseudonymizationKey } from '@mgov/privacy';

/** Where the key comes from: the environment's value, or a file (a mounted secret) read at each use. */
export interface PseudonymizationKeySettings {
  readonly value?: string | null;
  readonly file?: string | null;
  /** Create the file with a random key when it does not exist (the embedded runtime's convenience). */
  readonly generateIfMissing?: boolean;
}

export interface PseudonymizationSecret {
  readonly key: Buffer;
  /** A short hash of the key: recorded with every treatment and rotation; the key itself never is. */
  readonly keyId: string;
  readonly source: 'env' | 'file';
}

/** The key id: 16 hex digits of a domain-separated sha256, enough to tell keys apart, useless to guess one. */
export function keyIdOf(key: Uint8Array): string {
  return createHash('sha256').update('mgov-pseudonymization-key-id\0').update(key).digest('hex').slice(0, 16);
}

/** A new random key in `path`, readable by its owner only; an existing file is left alone. */
async function generateKeyFile(path: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  await writeFile(path, `${randomBytes(32).toString('hex')}\n`, { mode: 0o600, flag: 'wx' }).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'EEXIST') throw error;
  });
}

/**
 * The privacy gate's secret provider. The key is never written beside the data: it lives in the
 * environment or in a file outside the data directory, and a file is re-read at each use, so
 * replacing it rotates the key without a restart (the gate records the rotation).
 */
export function pseudonymizationKeyProvider(settings: PseudonymizationKeySettings): () => Promise<PseudonymizationSecret> {
  return async () => {
    let key: Buffer;
    let source: 'env' | 'file';
    if (settings.value) {
      key = Buffer.from(settings.value, 'utf8');
      source = 'env';
    } else if (settings.file) {
      if (settings.generateIfMissing) await generateKeyFile(settings.file);
      const text = await readFile(settings.file, 'utf8').catch((error: NodeJS.ErrnoException) => {
        throw new DomainError('LINEAGE.PSEUDONYMIZATION_KEY_UNAVAILABLE', `cannot read the pseudonymization key file MGOV_PSEUDONYMIZATION_KEY_FILE (${error.code ?? error.message})`, 409);
      });
      key = Buffer.from(text.trim(), 'utf8');
      source = 'file';
    } else {
      throw new DomainError(
        'LINEAGE.PSEUDONYMIZATION_KEY_UNAVAILABLE',
        'the privacy policy pseudonymizes columns but no key is configured: set MGOV_PSEUDONYMIZATION_KEY or MGOV_PSEUDONYMIZATION_KEY_FILE (e.g. `openssl rand -hex 32`)',
        409,
      );
    }
    pseudonymizationKey(key);
    return { key, keyId: keyIdOf(key), source };
  };
}
