import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fixtureFiles, runMgov } from './cli-harness';
import { StubServer } from './stub-server';

// mgov audit query|passport|verify|export|digest against a stub MGov that records what it was sent.
const stub = new StubServer();
const { dir, file } = fixtureFiles();
const mgov = (args: readonly string[]) => runMgov(args, { MGOV_URL: stub.url, MGOV_TOKEN: 'mgov_k1_secret' });

beforeAll(() => stub.start());
afterAll(async () => {
  await stub.stop();
  rmSync(dir, { recursive: true, force: true });
});
beforeEach(() => stub.reset());

const event = {
  position: '7', type: 'ModelQuarantined', service: 'registry', streamId: 'model-credit', occurredAt: '2030-01-01T09:00:00.000Z',
  actor: { id: 'dana.steward', role: 'model-steward' }, correlationId: 'c-1', links: ['model-version:credit:3'],
};
const ledgerOk = { ok: true, entries: 42, lastPosition: '42', headHash: 'ab'.repeat(32) };
const digest = { version: 1, ledger: 'mgov_audit', position: '40', headHash: 'cd'.repeat(32), at: '2030-01-01T09:00:00.000Z', algorithm: 'Ed25519', keyId: 'sha256:ee', signature: 'c2ln' };

describe('mgov audit query', () => {
  it('sends every filter, the aliases included, as GET /audit/events query parameters', async () => {
    stub.on('GET /audit/events', { events: [event], nextCursor: null });
    const { code, stdout } = await mgov([
      'audit', 'query', '--model', 'credit', '--model-version', 'credit:3', '--dataset-version', 'd1', '--source', 'crm', '--subject', 'model:credit',
      '--type', 'ModelQuarantined', '--correlation-id', 'c-1', '--actor', 'dana.steward', '--service', 'registry',
      '--from', '2030-01-01T00:00:00Z', '--to', '2030-02-01T00:00:00Z', '--limit', '10', '--after', '5',
    ]);
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual({ events: [event], nextCursor: null });
    expect(stub.requests.map((r) => `${r.method} ${r.path}`)).toEqual(['GET /audit/events']);
    expect(stub.requests[0].query).toEqual({
      model: 'credit', modelVersion: 'credit:3', datasetVersion: 'd1', source: 'crm', subject: 'model:credit', type: 'ModelQuarantined', correlationId: 'c-1',
      actor: 'dana.steward', service: 'registry', from: '2030-01-01T00:00:00Z', to: '2030-02-01T00:00:00Z', limit: '10', after: '5',
    });
    expect(stub.requests[0].headers).toMatchObject({ authorization: 'Bearer mgov_k1_secret' });
  });

  it('`audit events` is the same command; the table shows position, time, type, service, actor, subject', async () => {
    stub.on('GET /audit/events', { events: [event], nextCursor: '7' });
    const { code, stdout, stderr } = await mgov(['audit', 'events', '--actor', 'dana.steward', '--format', 'table']);
    expect(code).toBe(0);
    expect(stub.requests[0].query).toEqual({ actor: 'dana.steward' });
    for (const header of ['position', 'time', 'type', 'service', 'actor', 'subject / stream']) expect(stdout).toContain(header);
    expect(stdout).toContain('model-version:credit:3');
    expect(stderr).toContain('more events: add --after 7');
  });

  it('a --model-version without :version is a usage error, nothing sent', async () => {
    const { code, stderr } = await mgov(['audit', 'query', '--model-version', 'credit']);
    expect(code).toBe(2);
    expect(stderr).toContain('expected name:version');
    expect(stub.requests).toEqual([]);
  });
});

describe('mgov audit passport', () => {
  const path = '/audit/model-versions/credit/3/passport';

  it('prints markdown raw, as the server sent it', async () => {
    const markdown = '# Model passport: credit:3\n\n| source | license |\n|---|---|\n| crm | internal |\n';
    stub.onRaw(`GET ${path}`, [markdown], 'text/markdown; charset=utf-8');
    const { code, stdout } = await mgov(['audit', 'passport', 'credit', '3', '--format', 'markdown']);
    expect(code).toBe(0);
    expect(stdout).toBe(markdown);
    expect(stub.requests[0].query).toEqual({ format: 'markdown' });
  });

  it('writes html to --output', async () => {
    const html = '<!doctype html><title>credit:3</title>';
    stub.onRaw(`GET ${path}`, [html], 'text/html; charset=utf-8');
    const output = join(dir, 'passport.html');
    const { code, stdout, stderr } = await mgov(['audit', 'passport', 'credit', '3', '--format', 'html', '--output', output]);
    expect(code).toBe(0);
    expect(stdout).toBe('');
    expect(readFileSync(output, 'utf8')).toBe(html);
    expect(stderr).toContain(`written to ${output}`);
  });

  it('json by default; an API error exits 1', async () => {
    stub.on(`GET ${path}`, { modelVersion: 'credit:3', sections: [] });
    const ok = await mgov(['audit', 'passport', 'credit', '3']);
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout)).toEqual({ modelVersion: 'credit:3', sections: [] });
    expect(stub.requests[0].query).toEqual({ format: 'json' });
    stub.on(`GET ${path}`, { error: { code: 'AUDIT.NO_EVENTS', message: 'no events about credit:3' } }, 404);
    const missing = await mgov(['audit', 'passport', 'credit', '3', '--format', 'markdown']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toBe('error AUDIT.NO_EVENTS: no events about credit:3\n');
  });
});

describe('mgov audit verify', () => {
  it('exits 0 when the ledger and every service chain verify; a schema not checked does not fail', async () => {
    stub.on('GET /audit/verify', {
      ...ledgerOk, ledger: ledgerOk,
      services: { mgov_registry: { ok: true, events: 12 }, mgov_lineage: { ok: null, reason: 'no event log "mgov_lineage".events in this database' } },
    });
    const { code, stdout } = await mgov(['audit', 'verify', '--format', 'table']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/│ mgov_registry\s+│ ok\s+│/);
    expect(stdout).toContain('not checked: no event log "mgov_lineage".events');
    expect(stub.requests.map((r) => `${r.method} ${r.path}`)).toEqual(['GET /audit/verify']);
  });

  it('exits 3 naming the first broken position of each broken chain', async () => {
    stub.on('GET /audit/verify', {
      ok: false, firstBroken: { chain: 'mgov_audit', position: '17', reason: 'prev_hash does not match the previous entry' },
      ledger: { ok: false, firstBroken: { position: '17', reason: 'prev_hash does not match the previous entry' } },
      services: { mgov_registry: { ok: false, firstBroken: { streamId: 'model-credit', streamVersion: 4, position: '9', reason: 'hash mismatch' } } },
    });
    const { code, stdout, stderr } = await mgov(['audit', 'verify', '--format', 'table']);
    expect(code).toBe(3);
    expect(stdout).toMatch(/│ ledger\s+│ BROKEN\s+│ 17\s+│/);
    expect(stderr).toContain('ledger: first broken entry at position 17: prev_hash does not match');
    expect(stderr).toContain('mgov_registry: first broken entry at position 9: stream model-credit version 4: hash mismatch');
  });

  it('exits 3 on the older answer without services', async () => {
    stub.on('GET /audit/verify', { ok: false, firstBroken: { position: '17', reason: 'prev_hash does not match' } });
    const { code, stderr } = await mgov(['audit', 'verify']);
    expect(code).toBe(3);
    expect(stderr).toContain('first broken entry at position 17: prev_hash does not match');
  });

  it('--digest posts the file and exits 0 when it verifies', async () => {
    stub.on('POST /audit/verify-digest', { ok: true, position: '40', signature: 'valid' });
    const { code, stdout } = await mgov(['audit', 'verify', '--digest', file('digest.json', JSON.stringify(digest))]);
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual({ ok: true, position: '40', signature: 'valid' });
    expect(stub.requests.map((r) => `${r.method} ${r.path}`)).toEqual(['POST /audit/verify-digest']);
    expect(stub.requests[0].body).toEqual(digest);
  });

  it('--digest exits 3 when the signature is invalid, or the ledger broke after signing', async () => {
    const path = file('digest.json', JSON.stringify(digest));
    stub.on('POST /audit/verify-digest', { ok: false, position: '40', signature: 'invalid', reason: 'the signature does not match the document' });
    const forged = await mgov(['audit', 'verify', '--digest', path]);
    expect(forged.code).toBe(3);
    expect(forged.stderr).toContain('digest at position 40 does not verify: signature invalid');
    stub.on('POST /audit/verify-digest', { ok: false, position: '40', signature: 'valid', firstBroken: { position: '33', reason: 'payload or hash was altered' } });
    const edited = await mgov(['audit', 'verify', '--digest', path, '--format', 'table']);
    expect(edited.code).toBe(3);
    expect(edited.stderr).toContain('first broken entry at position 33: payload or hash was altered');
  });

  it('a malformed digest file exits 2 with one line, nothing sent', async () => {
    for (const [name, content, reason] of [['bad.json', '{"position":', 'not valid JSON'], ['list.json', '[]', 'found an array'], ['empty.json', '{}', 'not a digest document']] as const) {
      const { code, stderr } = await mgov(['audit', 'verify', '--digest', file(name, content)]);
      expect(code).toBe(2);
      expect(stderr).toContain(reason);
      expect(stderr.trim().split('\n')).toHaveLength(1);
    }
    expect((await mgov(['audit', 'verify', '--digest', join(dir, 'absent.json')])).code).toBe(2);
    expect(stub.requests).toEqual([]);
  });
});

describe('mgov audit digest latest', () => {
  it('prints the newest digest, ready to save for verify --digest', async () => {
    stub.on('GET /audit/digests/latest', digest);
    const { code, stdout } = await mgov(['audit', 'digest', 'latest', '--format', 'json']);
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual(digest);
    expect(stub.requests.map((r) => `${r.method} ${r.path}`)).toEqual(['GET /audit/digests/latest']);
  });
});

describe('mgov audit export', () => {
  const lines = Array.from({ length: 2000 }, (_, i) => `${JSON.stringify({ ...event, position: String(i + 1) })}\n`);

  it('streams the body into --output, with the filters and format as query parameters', async () => {
    stub.onRaw('GET /audit/export', lines, 'application/x-ndjson');
    const output = join(dir, 'ledger.jsonl');
    const { code, stdout } = await mgov(['audit', 'export', '--format', 'jsonl', '--service', 'registry', '--model-version', 'credit:3', '--output', output]);
    expect(code).toBe(0);
    expect(stdout).toBe('');
    expect(readFileSync(output, 'utf8')).toBe(lines.join(''));
    expect(stub.requests[0].query).toEqual({ format: 'jsonl', service: 'registry', modelVersion: 'credit:3' });
  });

  it('streams csv to stdout', async () => {
    stub.onRaw('GET /audit/export', ['position,type\n', '1,ModelQuarantined\n'], 'text/csv');
    const { code, stdout } = await mgov(['audit', 'export', '--format', 'csv']);
    expect(code).toBe(0);
    expect(stdout).toBe('position,type\n1,ModelQuarantined\n');
    expect(stub.requests[0].query).toEqual({ format: 'csv' });
  });

  it('refuses a format other than jsonl|csv (exit 2); an API error exits 1 and leaves no file', async () => {
    expect((await mgov(['audit', 'export', '--format', 'table'])).code).toBe(2);
    stub.on('GET /audit/export', { error: { code: 'AUDIT.INVALID_QUERY', message: 'unknown parameter x' } }, 400);
    const output = join(dir, 'refused.csv');
    const { code, stderr } = await mgov(['audit', 'export', '--format', 'csv', '--output', output]);
    expect(code).toBe(1);
    expect(stderr).toBe('error AUDIT.INVALID_QUERY: unknown parameter x\n');
    expect(() => readFileSync(output)).toThrow();
  });
});
