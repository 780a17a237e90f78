import { rmSync } from 'node:fs';
import { fixtureFiles, runMgov } from './cli-harness';
import { StubServer } from './stub-server';

// mgov monitoring against a stub MGov that records what it was sent.
const stub = new StubServer();
const { dir, file } = fixtureFiles();
const mgov = (args: readonly string[]) => runMgov(args, { MGOV_URL: stub.url, MGOV_TOKEN: 'mgov_k_secret' });

beforeAll(() => stub.start());
afterAll(async () => {
  await stub.stop();
  rmSync(dir, { recursive: true, force: true });
});
beforeEach(() => stub.reset());

describe('mgov monitoring', () => {
  it('outcomes sends batches to /monitoring/outcomes', async () => {
    stub.on('POST /monitoring/outcomes', { accepted: 2 }, 202);
    const lines = Array.from({ length: 3 }, (_, i) => JSON.stringify({ predictionId: `p${i}`, groundTruth: '1' }));
    const { code, stdout } = await mgov(['monitoring', 'outcomes', '--file', file('outcomes.jsonl', lines.join('\n')), '--batch-size', '2', '--format', 'json']);
    expect(code).toBe(0);
    expect(stub.requests.map((r) => (r.body as { outcomes: unknown[] }).outcomes.length)).toEqual([2, 1]);
    expect(JSON.parse(stdout)).toEqual({ accepted: 4 });
  });

  it('series passes subject, metric and limit as the query', async () => {
    stub.on('GET /monitoring/models/credit/versions/2/series', [{ window_index: '0', window_end: 't', subject: 'income', metric: 'psi', value: 0.3, baseline: null }]);
    const { code, stdout } = await mgov(['monitoring', 'series', 'credit', '2', '--subject', 'income', '--metric', 'psi', '--limit', '10', '--format', 'table']);
    expect(code).toBe(0);
    expect([stub.requests[0]!.path, stub.requests[0]!.query]).toEqual(['/monitoring/models/credit/versions/2/series', { subject: 'income', metric: 'psi', limit: '10' }]);
    expect(stdout).toMatch(/income\s*│\s*psi\s*│\s*0\.3/);
  });

  it('health prints one row per version', async () => {
    stub.on('GET /monitoring/models/credit/health', {
      modelName: 'credit', versions: [{ version: 1, status: 'breach', alerts: { breach: 2, warn: 0 }, lastWindow: { index: 7, end: 't', predictions: 1000, labelled: 100, driftShare: 0.5, policyVersion: 3 } }],
    });
    const { code, stdout } = await mgov(['monitoring', 'health', 'credit', '--format', 'table']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/1\s*│\s*breach\s*│\s*7/);
  });

  it('policy --set posts the change; bad JSON exits 2 before any request', async () => {
    stub.on('POST /monitoring/models/credit/policy', { version: 1 });
    const { code } = await mgov(['monitoring', 'policy', 'credit', '--set', '{"performance":{"minLabelled":50}}', '--format', 'json']);
    expect(code).toBe(0);
    expect(stub.requests[0]!.body).toEqual({ performance: { minLabelled: 50 } });
    stub.reset();
    const bad = await mgov(['monitoring', 'policy', 'credit', '--set', '{nope']);
    expect(bad.code).toBe(2);
    expect(stub.requests).toEqual([]);
  });

  it('policy --history lists every version with who changed what', async () => {
    stub.on('GET /monitoring/models/credit/policy/history', [
      { modelName: 'credit', policyVersion: 1, policy: '{}', change: '{"performance":{"minLabelled":50}}', changedBy: 'eve', changedAt: Date.UTC(2026, 10, 26) },
    ]);
    const { code, stdout } = await mgov(['monitoring', 'policy', 'credit', '--history', '--format', 'table']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/1\s*│\s*2026-11-26T00:00:00.000Z\s*│\s*eve\s*│\s*\{"performance"/);
  });
});
