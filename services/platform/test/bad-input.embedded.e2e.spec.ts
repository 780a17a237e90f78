import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { type FlowCallers, issueApiKey, issueFlowCallers, MgovClient, prepareEligibleDataset } from '@mgov/demo-flow';
import type { RunningHost } from '@mgov/http-edge';
import { startEmbeddedPlatform } from '../src/embedded-platform';
import { bootstrapAdmin } from './access.fixture';

// Bad input gets a stable code and a message that says what to do, and writes nothing.
describe('bad input on the HTTP APIs (embedded runtime)', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'mgov-bad-input-'));
  let host: RunningHost;
  let client: MgovClient;
  let callers: FlowCallers;
  const admin = bootstrapAdmin();
  const raw = (path: string, init: RequestInit) => fetch(`${host.url}${path}`, init).then(async (r) => ({ status: r.status, body: await r.json() }));
  const failure = (promise: Promise<unknown>) => promise.then(() => { throw new Error('expected a refusal'); }, (e) => e);

  beforeAll(async () => {
    host = await startEmbeddedPlatform({ dataDir, port: 0, bootstrapToken: admin.token });
    client = new MgovClient(() => host.url);
    callers = await issueFlowCallers(client, admin);
  }, 120_000);
  afterAll(async () => {
    await host?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('refuses malformed JSON and oversized bodies before any service sees them', async () => {
    const headers = { 'content-type': 'application/json' };
    expect(await raw('/lineage/sources', { method: 'POST', headers, body: '{"name": ' })).toEqual({
      status: 400, body: { error: { code: 'HTTP.MALFORMED_JSON', message: expect.any(String) } },
    });
    const huge = JSON.stringify({ rows: [{ blob: 'x'.repeat(17 * 1024 * 1024) }] });
    expect(await raw('/lineage/dataset-versions', { method: 'POST', headers, body: huge })).toMatchObject({
      status: 413, body: { error: { code: 'HTTP.PAYLOAD_TOO_LARGE' } },
    });
    expect(await raw('/nowhere', { method: 'GET' })).toMatchObject({ status: 404, body: { error: { code: 'HTTP.NOT_FOUND' } } });
  });

  it('refuses wrong types and unknown values with the field named', async () => {
    const { steward, inference, auditor } = callers;
    const kind = await failure(client.call('lineage', 'POST', '/lineage/sources', steward, { name: 'x', kind: 'scraped', license: 'MIT', owner: 'o' }));
    expect(kind).toMatchObject({ status: 400, code: 'LINEAGE.INVALID_SOURCE_KIND' });
    const types = await failure(client.call('lineage', 'POST', '/lineage/sources', steward, { name: 42, kind: 'internal', license: 'MIT', owner: 'o' }));
    expect(types).toMatchObject({ status: 400, code: 'CONTRACTS.INVALID_EVENT' });
    expect((types as Error).message).toContain('data.name = 42');
    const rows = await failure(client.call('lineage', 'POST', '/lineage/dataset-versions', steward, { datasetName: 'd', sourceIds: ['s'], rows: 'all of them' }));
    expect(rows).toMatchObject({ status: 400, code: 'LINEAGE.EMPTY_DATASET' });
    const prediction = await failure(client.call('monitoring', 'POST', '/monitoring/predictions', inference, {
      predictions: [{ predictionId: 'p', modelName: 'm', modelVersion: 'one' }],
    }));
    expect(prediction).toMatchObject({ status: 400, code: 'MONITORING.INVALID_PREDICTION' });
    const query = await failure(client.call('audit', 'GET', '/audit/events?limit=lots', auditor));
    expect(query).toMatchObject({ status: 400, code: 'AUDIT.INVALID_QUERY' });
  });

  it('refuses a run on uncleared data, and records the refusal', async () => {
    const { scientist, auditor } = callers;
    const refused = await failure(client.call('experiment', 'POST', '/experiment/runs', scientist, { experimentName: 'e', datasetVersionIds: ['f'.repeat(64)] }));
    expect(refused).toMatchObject({ status: 422, code: 'EXPERIMENT.DATASET_NOT_ELIGIBLE' });
    const recorded = await client.eventually('the refusal in the audit ledger', async () =>
      (await client.call<{ events: unknown[] }>('audit', 'GET', `/audit/events?type=RunRefused&subject=dataset-version:${'f'.repeat(64)}`, auditor)).events);
    expect(recorded).toHaveLength(1);
  });

  it('refuses forbidden roles and self-approval, and registers nothing', async () => {
    const { steward, scientist, reviewer } = callers;
    const suffix = randomBytes(3).toString('hex');
    const { sourceId } = await client.call<{ sourceId: string }>('lineage', 'POST', '/lineage/sources', steward, { name: 's', kind: 'internal', license: 'MIT', owner: 'o' });
    const { datasetVersionId } = await prepareEligibleDataset(client, steward, { sourceId, datasetName: `d-${suffix}`, normal: (mean) => mean });
    await client.eventually('eligibility', async () => (await client.call<{ eligible: boolean }>('experiment', 'GET', `/experiment/datasets/${datasetVersionId}/eligibility`, scientist)).eligible);
    const { runId } = await client.call<{ runId: string }>('experiment', 'POST', '/experiment/runs', scientist, { experimentName: 'e', datasetVersionIds: [datasetVersionId] });
    const digest = `sha256:${randomBytes(32).toString('hex')}`;
    await client.call('experiment', 'POST', `/experiment/runs/${runId}/complete`, scientist, { metrics: { accuracy: 0.9 }, artifactDigest: digest });
    const model = `m-${suffix}`;
    const { candidateId } = await client.eventually('candidate', () =>
      client.call<{ candidateId: string }>('registry', 'POST', `/registry/models/${model}/candidates`, scientist, { runId, artifactDigest: digest }));

    // The same person holding a reviewer key too: the role passes the guard, the registry's decider still refuses.
    const scientistAsReviewer = await issueApiKey(client, admin, scientist.name, ['model-reviewer']);
    const self = await failure(client.call('registry', 'POST', `/registry/models/${model}/candidates/${candidateId}/approve`, scientistAsReviewer, {}));
    expect(self).toMatchObject({ status: 403, code: 'REGISTRY.SEPARATION_OF_DUTIES' });
    const role = await failure(client.call('registry', 'POST', `/registry/models/${model}/candidates/${candidateId}/approve`, scientist, {}));
    expect(role).toMatchObject({ status: 403, code: 'AUTH.FORBIDDEN' });
    expect((role as Error).message).toContain('model-reviewer');
    const mismatch = await failure(client.call('registry', 'POST', `/registry/models/${model}/candidates`, scientist, { runId, artifactDigest: `sha256:${'0'.repeat(64)}` }));
    expect(mismatch).toMatchObject({ status: 422, code: 'REGISTRY.DIGEST_MISMATCH' });
    expect(await client.call('registry', 'GET', `/registry/models/${model}/versions`, reviewer)).toEqual([]);
  });

  it('serves Prometheus metrics and one OpenAPI document for every service', async () => {
    const metrics = await (await fetch(`${host.url}/metrics`)).text();
    expect(metrics).toContain('mgov_http_requests_total');
    const openapi = (await (await fetch(`${host.url}/openapi.json`)).json()) as { paths: Record<string, unknown> };
    const prefixes = new Set(Object.keys(openapi.paths).map((p) => p.split('/')[1]));
    expect([...prefixes]).toEqual(expect.arrayContaining(['lineage', 'experiment', 'registry', 'monitoring', 'retraining', 'audit', 'health']));
  });
});
