import { type ApiKeyToken, formatApiKey, parseApiKey } from '@mgov/auth';
import type { CommandMetadata } from '@mgov/decider';
import { logger } from '@mgov/telemetry';
import { type ApiKeyService, newApiKeyToken } from './api-key-service';

const log = logger('access');
/** The platform itself, issuing the bootstrap admin: not a role anyone can hold. */
export const BOOTSTRAP_ACTOR = { id: 'mgov-bootstrap', role: 'system' } as const;
export const BOOTSTRAP_KEY_NAME = 'bootstrap-admin';
/** A generated bootstrap key always has this id, so two audit replicas starting at once issue only one. */
export const GENERATED_BOOTSTRAP_KEY_ID = 'bootstrap';

export interface BootstrapOptions {
  /** MGOV_BOOTSTRAP_TOKEN (see `bootstrapToken`), or null to generate one at first start. */
  readonly token: ApiKeyToken | null;
  readonly notice: (text: string) => void;
  readonly now: () => number;
  readonly newId: () => string;
}

/** Checks MGOV_BOOTSTRAP_TOKEN before anything starts; the message never repeats the value. */
export function bootstrapToken(configured: string | null | undefined): ApiKeyToken | null {
  if (!configured) return null;
  const token = parseApiKey(configured.trim());
  if (!token) {
    throw new Error('MGOV_BOOTSTRAP_TOKEN must be an MGov API key, mgov_<keyId>_<secret> (keyId: 4–32 lower-case letters or digits; ' +
      'secret: at least 43 base64url characters). Make one with: node -e "console.log(\'mgov_admin_\' + require(\'crypto\').randomBytes(32).toString(\'base64url\'))"');
  }
  return token;
}

/**
 * Makes sure someone can administer MGov, and never by leaving it open: MGOV_BOOTSTRAP_TOKEN
 * becomes an admin key (replacing any earlier bootstrap key); without it, the first start
 * generates one and shows it once.
 */
export async function ensureBootstrapAdmin(keys: ApiKeyService, options: BootstrapOptions): Promise<void> {
  const metadata = (): CommandMetadata => ({ actor: BOOTSTRAP_ACTOR, now: options.now(), correlationId: options.newId(), causationId: null });
  const admin = { name: BOOTSTRAP_KEY_NAME, roles: ['admin'], expiresAt: null };
  if (options.token) {
    const token = options.token;
    try {
      await keys.issueToken(token, admin, metadata());
    } catch (error) {
      if ((error as { code?: string }).code !== 'ACCESS.KEY_EXISTS') throw error;
      throw new Error(`MGOV_BOOTSTRAP_TOKEN uses key id "${token.keyId}", which another key already has: choose another key id`);
    }
    if ((await keys.state(token.keyId)).status === 'revoked') {
      log.warn({ keyId: token.keyId }, 'MGOV_BOOTSTRAP_TOKEN was revoked and admits no one; set a new one to recover admin access');
    }
    for (const keyId of await keys.activeSystemKeys()) {
      if (keyId !== token.keyId) await keys.revoke(keyId, 'replaced by a new MGOV_BOOTSTRAP_TOKEN', metadata());
    }
    return;
  }
  if (await keys.anySystemKey()) return;
  const token = newApiKeyToken(GENERATED_BOOTSTRAP_KEY_ID);
  try {
    await keys.issueToken(token, admin, metadata());
  } catch (error) {
    // Another replica generated it a moment ago and showed it.
    if ((error as { code?: string }).code === 'ACCESS.KEY_EXISTS') return;
    throw error;
  }
  options.notice(bootstrapNotice(formatApiKey(token)));
}

function bootstrapNotice(token: string): string {
  return [
    '',
    '================================================================================',
    ' MGov bootstrap admin API key. It is shown this once; MGov stores only its hash.',
    '',
    `   ${token}`,
    '',
    ' Use it as MGOV_TOKEN (npm run demo) or send "Authorization: Bearer <key>".',
    ' Issue personal keys with POST /access/api-keys, then revoke this one with',
    ' POST /access/api-keys/bootstrap/revoke. Lost it? Restart with',
    ' MGOV_BOOTSTRAP_TOKEN=mgov_<keyId>_<secret> to replace it.',
    '================================================================================',
    '',
  ].join('\n');
}
