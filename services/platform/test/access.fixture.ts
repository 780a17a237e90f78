import { randomBytes } from 'node:crypto';
import { formatApiKey } from '@mgov/auth';
import type { Caller } from '@mgov/demo-flow';

/** A fresh MGOV_BOOTSTRAP_TOKEN for one test platform, and the admin caller holding it. */
export function bootstrapAdmin(): Caller {
  const token = formatApiKey({ keyId: `e2e${randomBytes(4).toString('hex')}`, secret: randomBytes(32).toString('base64url') });
  return { name: 'bootstrap-admin', token };
}
