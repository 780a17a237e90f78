import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MgovClient } from '@mgov/demo-flow';
import type { RunningHost } from '@mgov/http-edge';
import { startEmbeddedPlatform } from '../src/embedded-platform';
import { bootstrapAdmin } from './access.fixture';

// The platform signs its ledger head on a timer; a digest kept elsewhere verifies later.
describe('signed ledger digests on the embedded runtime', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'mgov-digests-'));
  const admin = bootstrapAdmin();
  let host: RunningHost;
  let client: MgovClient;

  beforeAll(async () => {
    process.env.MGOV_AUDIT_DIGEST_INTERVAL_MS = '200';
    host = await startEmbeddedPlatform({ dataDir, port: 0, bootstrapToken: admin.token });
    client = new MgovClient(() => host.url);
  }, 120_000);
  afterAll(async () => {
    delete process.env.MGOV_AUDIT_DIGEST_INTERVAL_MS;
    await host?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('signs the chain head with a key kept beside the data, and the digest verifies', async () => {
    const digest = await client.eventually('a first signed digest', async () => {
      try {
        return await client.call<{ position: string }>('audit', 'GET', '/audit/digests/latest', admin);
      } catch {
        return undefined;
      }
    });
    expect(Number(digest.position)).toBeGreaterThan(0);
    expect(existsSync(dataDir)).toBe(true);
    const verdict = await client.call<{ ok: boolean; signature: string }>('audit', 'POST', '/audit/verify-digest', admin, digest);
    expect(verdict).toMatchObject({ ok: true, signature: 'valid' });
    const forged = await client.call<{ ok: boolean; signature: string }>('audit', 'POST', '/audit/verify-digest', admin, {
      ...digest, position: String(Number(digest.position) + 1_000),
    }).catch((error: { code?: string }) => ({ ok: false, signature: error.code ?? 'refused' }));
    expect(forged.ok).toBe(false);
  }, 60_000);
});
