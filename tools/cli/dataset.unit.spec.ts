import { rmSync } from 'node:fs';
import { fixtureFiles, runMgov } from './cli-harness';
import { StubServer } from './stub-server';

// Dataset uploads, gates, policies, lineage graph and source licenses, run as a user runs them against a stub MGov.
const stub = new StubServer();
const { dir, file } = fixtureFiles();
const mgov = (args: readonly string[], env: Record<string, string> = {}) => runMgov(args, { MGOV_URL: stub.url, ...env });
const id = 'a'.repeat(64);

beforeAll(() => stub.start());
afterAll(async () => {
  await stub.stop();
  rmSync(dir, { recursive: true, force: true });
});
beforeEach(() => stub.reset());

describe('mgov dataset upload', () => {
  it('streams the exact file bytes as the raw body, with the query', async () => {
    stub.on('POST /lineage/datasets/loans/versions', { datasetVersionId: id, created: true }, 201);
    const bytes = Buffer.concat([Buffer.from('income,region\n51.2,north\n'), Buffer.from([0xff, 0x00, 0xfe]), Buffer.alloc(200_000, 'x')]);
    const path = file('loans.csv', bytes);
    const { code, stdout, stderr } = await mgov(['dataset', 'upload', '--name', 'loans', '--file', path, '--source', 'crm', 'web', '--parent', 'p1', '--transformation', 'dedup']);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual({ datasetVersionId: id, created: true });
    const [request] = stub.requests;
    expect(request.method).toBe('POST');
    expect(request.raw.equals(bytes)).toBe(true);
    expect(request.headers['content-type']).toBe('application/octet-stream');
    expect(request.queryAll).toEqual({ format: ['csv'], source: ['crm', 'web'], parent: ['p1'], transformation: ['dedup'] });
  });

  it('--format overrides the extension; the output format goes before the command', async () => {
    stub.on('POST /lineage/datasets/my%20set/versions', { datasetVersionId: id, created: false });
    const path = file('rows.txt', '{"a":1}\n');
    const { code, stdout } = await mgov(['--format', 'table', 'dataset', 'upload', '--name', 'my set', '--file', path, '--format', 'jsonl', '--source', 'crm']);
    expect(code).toBe(0);
    expect(stub.requests[0].query).toEqual({ format: 'jsonl', source: 'crm' });
    expect(stub.requests[0].raw.toString()).toBe('{"a":1}\n');
    expect(stdout).toMatch(/created\s*│\s*false/);
  });

  it('an unknown extension without --format, or a missing file, exits 2 and sends nothing', async () => {
    const unknown = await mgov(['dataset', 'upload', '--name', 'loans', '--file', file('data.bin', 'x'), '--source', 'crm']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('pass --format csv|jsonl|parquet');
    const missing = await mgov(['dataset', 'upload', '--name', 'loans', '--file', `${dir}/nope.csv`, '--source', 'crm']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('ENOENT');
    expect(stub.requests).toEqual([]);
  });

  it('a refusal exits 1 with the server\'s code', async () => {
    stub.on('POST /lineage/datasets/loans/versions', { error: { code: 'LINEAGE.UNKNOWN_SOURCE', message: 'no source crm' } }, 404);
    const { code, stderr } = await mgov(['dataset', 'upload', '--name', 'loans', '--file', file('l.csv', 'a\n1\n'), '--source', 'crm']);
    expect(code).toBe(1);
    expect(stderr).toContain('error LINEAGE.UNKNOWN_SOURCE: no source crm');
  });
});

describe('dataset gates and policies', () => {
  it.each([
    [['privacy-gate', id], `/lineage/dataset-versions/${id}/privacy-gate`, {}],
    [['bias-scan', id], `/lineage/dataset-versions/${id}/bias-scan`, {}],
    [['waive', id, '--justification', 'reviewed by DPO'], `/lineage/dataset-versions/${id}/bias-waiver`, { justification: 'reviewed by DPO' }],
  ])('dataset %j posts to its route', async (args, route, body) => {
    stub.on(`POST ${route}`, { ok: true });
    const { code, stdout } = await mgov(['dataset', ...args]);
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual({ ok: true });
    expect(stub.requests).toMatchObject([{ method: 'POST', path: route, body }]);
  });

  it('waive without --justification is a usage error', async () => {
    expect((await mgov(['dataset', 'waive', id])).code).toBe(2);
    expect(stub.requests).toEqual([]);
  });

  it.each(['privacy-policy', 'bias-policy'])('dataset %s sends the policy file as the body', async (command) => {
    const policy = { protectedAttributes: ['sex'], label: 'approved', positive: 'yes', k: 5 };
    stub.on(`POST /lineage/datasets/loans/${command}`, { datasetName: 'loans' });
    const { code } = await mgov(['dataset', command, 'loans', '--file', file(`${command}.json`, JSON.stringify(policy))]);
    expect(code).toBe(0);
    expect(stub.requests).toMatchObject([{ method: 'POST', path: `/lineage/datasets/loans/${command}`, body: policy }]);
  });

  it('a malformed policy file exits 2 and sends nothing', async () => {
    const { code, stderr } = await mgov(['dataset', 'privacy-policy', 'loans', '--file', file('bad.json', '{oops')]);
    expect(code).toBe(2);
    expect(stderr).toContain('not valid JSON');
    expect(stub.requests).toEqual([]);
  });

  it('dataset show is get', async () => {
    stub.on(`GET /lineage/dataset-versions/${id}`, { dataset_version_id: id });
    expect((await mgov(['dataset', 'show', id])).code).toBe(0);
    expect(stub.requests).toMatchObject([{ method: 'GET', path: `/lineage/dataset-versions/${id}` }]);
  });

  it('dataset clear is gone', async () => {
    expect((await mgov(['dataset', 'clear', id])).code).toBe(2);
    expect(stub.requests).toEqual([]);
  });
});

describe('mgov dataset lineage', () => {
  it('prints the mermaid flowchart exactly as sent', async () => {
    const chart = 'flowchart LR\n  a["source: crm"] -->|source-of| b["dataset-version: aaaa"]\n';
    stub.onRaw('GET /lineage/graph/model-version/credit%3A3/downstream', [chart], 'text/plain; charset=utf-8');
    const { code, stdout } = await mgov(['dataset', 'lineage', 'model-version', 'credit:3', '--direction', 'downstream', '--depth', '2', '--as', 'mermaid']);
    expect(code).toBe(0);
    expect(stdout).toBe(chart);
    expect(stub.requests[0].query).toEqual({ format: 'mermaid', depth: '2' });
  });

  it('json upstream by default', async () => {
    stub.on(`GET /lineage/graph/dataset-version/${id}/upstream`, { nodes: [], edges: [] });
    const { code, stdout } = await mgov(['dataset', 'lineage', 'dataset-version', id]);
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual({ nodes: [], edges: [] });
    expect(stub.requests[0].query).toEqual({ format: 'json' });
  });

  it('an unknown kind is a usage error', async () => {
    expect((await mgov(['dataset', 'lineage', 'planet', 'x'])).code).toBe(2);
    expect(stub.requests).toEqual([]);
  });
});

describe('mgov source licenses', () => {
  it('revoke-license posts the reason', async () => {
    stub.on('POST /lineage/sources/crm/license-revocation', { sourceId: 'crm' });
    expect((await mgov(['source', 'revoke-license', 'crm', '--reason', 'contract ended'])).code).toBe(0);
    expect(stub.requests).toMatchObject([{ method: 'POST', path: '/lineage/sources/crm/license-revocation', body: { reason: 'contract ended' } }]);
  });

  it('impact reads the impact', async () => {
    stub.on('GET /lineage/sources/crm/impact', { datasetVersions: [], runs: [] });
    const { code, stdout } = await mgov(['source', 'impact', 'crm']);
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual({ datasetVersions: [], runs: [] });
  });
});
