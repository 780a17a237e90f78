import { createServer, type Server } from 'node:http';
import { type AddressInfo } from 'node:net';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EnvelopedEvent } from '@mgov/contracts';
import { waitFor } from '@mgov/testing';
import { AuditQueries } from './audit-queries';
import { type AuditHarness, auditor, codec } from './audit-test-harness';
import { deliverPending, directoryTarget, webhookTarget } from './digest-export';
import { signDigestNow, startDigestSigner } from './digest-signer';
import { governanceFlow } from './governance-flow.fixture';
import { loadSigningKey } from './signing-key';

/** Signed ledger digests: signing, serving, checking against the ledger, exporting. */
export function digestBehaviour(h: AuditHarness): void {
  const signNow = () => signDigestNow(h.runtime(), loadSigningKey(h.config().digests));
  const queries = () => new AuditQueries(h.runtime(), h.config());

  it('signs the chain head only when it moved, and serves it with the public key', async () => {
    expect(await signNow()).toEqual({ skipped: 'empty ledger' });
    const { all } = governanceFlow();
    await h.deliver(all);
    const outcome = await signNow();
    if (!('signed' in outcome)) throw new Error(`not signed: ${JSON.stringify(outcome)}`);
    const head = await queries().verify(auditor);
    expect(outcome.signed).toMatchObject({ version: 1, ledger: h.schema, algorithm: 'Ed25519', at: new Date(auditor.now).toISOString() });
    expect(head).toMatchObject({ ok: true, lastPosition: outcome.signed.position, headHash: outcome.signed.headHash });
    expect(await signNow()).toEqual({ skipped: 'head unchanged since the last digest' });
    expect(await queries().digests.latest(auditor)).toEqual(outcome.signed);
    expect(await queries().digests.publicKey()).toMatchObject({ algorithm: 'Ed25519', keyId: outcome.signed.keyId, publicKeyPem: expect.stringContaining('BEGIN PUBLIC KEY'), previousKeys: [] });
    expect(await queries().digests.verify(outcome.signed, auditor)).toEqual({ ok: true, position: outcome.signed.position, signature: 'valid' });
  });

  it('detects a superuser edit after signing: verify and verify-digest name the same position', async () => {
    const { all } = governanceFlow();
    await h.deliver(all);
    const outcome = await signNow();
    if (!('signed' in outcome)) throw new Error('not signed');
    const position = await h.positionOf(all[6]);
    await h.asOwner(`${h.schema}.ledger`, 'ledger_append_only', `UPDATE ${h.schema}.ledger SET payload = payload || '\\x00'::bytea WHERE position = ${position}`);

    expect(await queries().verify(auditor)).toMatchObject({
      ok: false, firstBroken: { chain: 'ledger', position, reason: expect.stringContaining('payload or hash was altered') },
    });
    expect(await queries().digests.verify(outcome.signed, auditor)).toEqual({
      ok: false, position: outcome.signed.position, signature: 'valid', firstBroken: { position, reason: expect.stringContaining('payload or hash was altered') },
    });
  });

  it('refuses to sign over an entry edited since the last digest', async () => {
    const [first, second] = [governanceFlow().all, governanceFlow().all];
    await h.deliver(first);
    await signNow();
    await h.deliver(second);
    const position = await h.positionOf(second[3]);
    await h.asOwner(`${h.schema}.ledger`, 'ledger_append_only', `UPDATE ${h.schema}.ledger SET correlation_id = 'other' WHERE position = ${position}`);
    expect(await signNow()).toEqual({ refused: { position, reason: expect.stringContaining('correlation_id') } });
  });

  it('detects a chain rewritten and re-hashed after signing, at the signed position', async () => {
    const { all } = governanceFlow();
    await h.deliver(all);
    const outcome = await signNow();
    if (!('signed' in outcome)) throw new Error('not signed');
    const lastEvent = all.at(-1)! as Extract<EnvelopedEvent, { type: 'ModelQuarantined' }>;
    const last = await h.positionOf(lastEvent);
    // Re-encode the last event with another reason and re-hash it and the head: the chain alone still verifies.
    const rewritten = codec.encodeEvent({ ...lastEvent, data: { ...lastEvent.data, reason: 'nothing to see' } });
    await h.asOwner(`${h.schema}.ledger`, 'ledger_append_only',
      `UPDATE ${h.schema}.ledger SET payload = $1, hash = sha256(prev_hash || $1::bytea) WHERE position = ${last}`, [rewritten]);
    await h.db.query(`UPDATE ${h.schema}.ledger_head SET last_hash = (SELECT hash FROM ${h.schema}.ledger WHERE position = ${last})`);
    expect(await queries().verify(auditor)).toMatchObject({ ok: true });
    expect(await queries().digests.verify(outcome.signed, auditor)).toMatchObject({
      ok: false, signature: 'valid', firstBroken: { position: last, reason: expect.stringContaining('re-hashed') },
    });
  });

  it('refuses a digest whose signed fields were changed, or that another key signed', async () => {
    await h.deliver(governanceFlow().all);
    const outcome = await signNow();
    if (!('signed' in outcome)) throw new Error('not signed');
    const forged = { ...outcome.signed, headHash: 'ab'.repeat(32) };
    expect(await queries().digests.verify(forged, auditor)).toMatchObject({ ok: false, signature: 'invalid' });
    const otherKey = new AuditQueries(h.runtime(), h.config({ keyDir: mkdtempSync(join(tmpdir(), 'mgov-other-key-')) }));
    expect(await otherKey.digests.verify(outcome.signed, auditor)).toMatchObject({ ok: false, signature: 'unknown-key' });
    await expect(queries().digests.verify({ ...outcome.signed, extra: 1 }, auditor)).rejects.toMatchObject({ code: 'AUDIT.INVALID_DIGEST', status: 400 });
    await expect(queries().digests.verify('nope', auditor)).rejects.toMatchObject({ code: 'AUDIT.INVALID_DIGEST' });
    const kinds = (await queries().accessLog({}, auditor)).entries.map((e) => (e.query as { kind: string }).kind);
    expect(kinds).toEqual(['verify-digest', 'verify-digest']);
  });

  it('given a key rotation, then digests of the earlier key still verify, vouched for by the new key, and no other key does', async () => {
    await h.deliver(governanceFlow().all);
    const before = await signNow();
    if (!('signed' in before)) throw new Error('not signed');
    const rotated = h.config({ keyDir: mkdtempSync(join(tmpdir(), 'mgov-rotated-key-')) });
    await h.deliver(governanceFlow().all);
    const after = await signDigestNow(h.runtime(), loadSigningKey(rotated.digests));
    if (!('signed' in after)) throw new Error('not signed after the rotation');
    expect(after.signed.keyId).not.toBe(before.signed.keyId);

    const now = new AuditQueries(h.runtime(), rotated);
    expect(await now.digests.verify(before.signed, auditor)).toEqual({ ok: true, position: before.signed.position, signature: 'valid' });
    expect(await now.digests.verify(after.signed, auditor)).toEqual({ ok: true, position: after.signed.position, signature: 'valid' });
    expect(await now.digests.publicKey()).toMatchObject({ keyId: after.signed.keyId, previousKeys: [{ keyId: before.signed.keyId, publicKeyPem: expect.stringContaining('BEGIN PUBLIC KEY') }] });

    // Someone with database access signs with a key of their own: it is recorded, but the current key vouches for nothing of it.
    const intruder = h.config({ keyDir: mkdtempSync(join(tmpdir(), 'mgov-intruder-key-')) });
    await h.deliver(governanceFlow().all);
    const forged = await signDigestNow(h.runtime(), loadSigningKey(intruder.digests));
    if (!('signed' in forged)) throw new Error('not signed by the intruder');
    expect(await now.digests.verify(forged.signed, auditor)).toMatchObject({ ok: false, signature: 'unknown-key' });

    // ...and rewriting the current key's list of predecessors breaks its vouch: only the current key is trusted then.
    const current = after.signed.keyId;
    await h.asOwner(`${h.schema}.signing_keys`, 'signing_keys_append_only', `UPDATE ${h.schema}.signing_keys SET predecessors = '[]' WHERE key_id = '${current}'`);
    expect(await now.digests.verify(before.signed, auditor)).toMatchObject({ ok: false, signature: 'unknown-key', reason: expect.stringContaining('not vouched for by the current key') });
    expect(await now.digests.verify(after.signed, auditor)).toMatchObject({ ok: true });
  });

  it('answers AUDIT.NO_DIGEST before the first digest, and AUDIT.SIGNING_KEY_UNAVAILABLE for a key it cannot use', async () => {
    await expect(queries().digests.latest(auditor)).rejects.toMatchObject({ code: 'AUDIT.NO_DIGEST', status: 404 });
    const rsa = join(mkdtempSync(join(tmpdir(), 'mgov-rsa-')), 'rsa.pem');
    writeFileSync(rsa, generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ type: 'pkcs8', format: 'pem' }));
    const misconfigured = new AuditQueries(h.runtime(), h.config({ keyFile: rsa }));
    await expect(misconfigured.digests.publicKey()).rejects.toThrow(expect.objectContaining({ code: 'AUDIT.SIGNING_KEY_UNAVAILABLE', status: 503, message: expect.stringContaining('not Ed25519') }));
  });

  describe('export', () => {
    let server: Server;
    let received: unknown[];
    let failuresLeft: number;
    beforeEach(async () => {
      received = [];
      failuresLeft = 2;
      server = createServer((request, response) => {
        let body = '';
        request.on('data', (chunk) => (body += chunk));
        request.on('end', () => {
          if (failuresLeft-- > 0) return void response.writeHead(503).end();
          received.push(JSON.parse(body));
          response.writeHead(204).end();
        });
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    });
    afterEach(() => new Promise<void>((resolve) => server.close(() => resolve())));
    const url = () => `http://127.0.0.1:${(server.address() as AddressInfo).port}/digests?token=secret`;

    it('writes a file per digest and POSTs each to the webhook, retrying, once per target', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'mgov-digests-'));
      const targets = [directoryTarget(dir), webhookTarget(url(), { attempts: 5, retryBaseMs: 5 })];
      const { all } = governanceFlow();
      await h.deliver(all.slice(0, 5));
      await signNow();
      await h.deliver(all.slice(5));
      await signNow();
      const signal = new AbortController().signal;
      expect(await deliverPending(h.db, h.schema, targets, signal)).toBe(4);
      expect(await deliverPending(h.db, h.schema, targets, signal)).toBe(0);
      const files = readdirSync(dir).sort();
      expect(files).toHaveLength(2);
      const documents = files.map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')));
      expect(received).toEqual(documents);
      expect(documents[1]).toEqual(await queries().digests.latest(auditor));
      const targetsRecorded = await h.db.query<{ target: string }>(`SELECT DISTINCT target FROM ${h.schema}.digest_deliveries ORDER BY target`);
      expect(targetsRecorded.map((r) => r.target)).toEqual([`directory:${dir}`, expect.stringMatching(/^webhook:http:\/\/127\.0\.0\.1:\d+\/digests$/)]);
    });

    it('keeps a digest pending while the webhook is down, and delivers it later', async () => {
      failuresLeft = 3;
      await h.deliver(governanceFlow().all);
      await signNow();
      const target = webhookTarget(url(), { attempts: 2, retryBaseMs: 5 });
      expect(await deliverPending(h.db, h.schema, [target], new AbortController().signal)).toBe(0);
      expect(await deliverPending(h.db, h.schema, [target], new AbortController().signal)).toBe(1);
      expect(received).toHaveLength(1);
    });

    it('runs on its interval until stopped, and not at all with interval 0', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'mgov-digests-'));
      await h.deliver(governanceFlow().all);
      const signer = startDigestSigner(h.runtime(), h.config({ intervalMs: 10, exportDir: dir }).digests);
      try {
        await waitFor(() => readdirSync(dir).length === 1, 10_000, 'the first exported digest');
      } finally {
        await signer.stop();
      }
      await startDigestSigner(h.runtime(), h.config({ intervalMs: 0, keyFile: '/nonexistent.pem' }).digests).stop();
      expect(() => startDigestSigner(h.runtime(), h.config({ intervalMs: 10, keyFile: '/nonexistent.pem' }).digests)).toThrow(/signing key/);
    });
  });
}
