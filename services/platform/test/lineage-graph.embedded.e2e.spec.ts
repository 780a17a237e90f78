import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiError, type FlowResult, issueApiKey, type KeyHolder, MgovClient, runGovernanceFlow } from '@mgov/demo-flow';
import type { RunningHost } from '@mgov/http-edge';
import { startEmbeddedPlatform } from '../src/embedded-platform';
import { bootstrapAdmin } from './access.fixture';

type Graph = { root: string; truncated: boolean; nodes: Array<{ key: string; kind: string; id: string; attributes: Record<string, unknown> }>; edges: Array<{ from: string; to: string; relation: string }> };
type Impact = {
  source: { sourceId: string; licenseStatus: string };
  datasetVersions: Array<{ id: string }>; runs: Array<{ id: string }>; modelVersions: Array<{ modelName: string; version: number }>; externalDatasets: Array<{ id: string }>;
};

const runEvent = (runId: string, overrides: Record<string, unknown> = {}) => ({
  eventType: 'COMPLETE', eventTime: new Date().toISOString(), producer: 'https://mgov.example/e2e',
  schemaURL: 'https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent', run: { runId }, job: { namespace: 'spark', name: 'score_loans' }, ...overrides,
});

describe('lineage graph, OpenLineage intake and license impact (embedded runtime)', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'mgov-lineage-graph-'));
  const admin = bootstrapAdmin();
  let host: RunningHost;
  let client: MgovClient;
  let flow: FlowResult;
  let steward: KeyHolder;
  let engineer: KeyHolder;
  let auditor: KeyHolder;
  let scientist: KeyHolder;
  let sourceId: string;
  const olRunId = randomUUID();

  beforeAll(async () => {
    host = await startEmbeddedPlatform({ dataDir, port: 0, monitoringWindowSize: 50, bootstrapToken: admin.token });
    client = new MgovClient(() => host.url);
    flow = await runGovernanceFlow({ urlOf: () => host.url, adminToken: admin.token, windowSize: 50 });
    [steward, engineer, auditor, scientist] = await Promise.all([
      issueApiKey(client, admin, 'graph.steward', ['data-steward']), issueApiKey(client, admin, 'graph.engineer', ['ml-engineer']),
      issueApiKey(client, admin, 'graph.auditor', ['governance-auditor']), issueApiKey(client, admin, 'graph.scientist', ['data-scientist']),
    ]);
  }, 180_000);

  afterAll(async () => {
    await host?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('builds the graph from a real flow: upstream of the model version reaches its run, data and source', async () => {
    const path = `/lineage/graph/model-version/${flow.modelName}:${flow.modelVersion}/upstream`;
    const graph = await client.eventually('the model version in the graph', () => client.call<Graph>('lineage', 'GET', path, auditor));
    expect(graph.edges).toEqual(expect.arrayContaining([
      { from: `run:${flow.runId}`, to: `model-version:${flow.modelName}:${flow.modelVersion}`, relation: 'trained' },
      { from: `dataset-version:${flow.datasetVersionId}`, to: `run:${flow.runId}`, relation: 'input-to' },
    ]));
    const source = graph.nodes.find((n) => n.kind === 'source');
    expect(source).toBeDefined();
    sourceId = source!.id;

    const response = await fetch(`${host.url}${path}?format=mermaid&depth=2`, { headers: { authorization: `Bearer ${scientist.token}` } });
    expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
    const mermaid = await response.text();
    expect(mermaid).toMatch(/^flowchart LR\n/);
    expect(mermaid).toContain('-->|trained|');
    expect(mermaid).not.toContain('source:');
  });

  it('records an OpenLineage run that read an MGov dataset version, once per event', async () => {
    const event = runEvent(olRunId, {
      inputs: [{ namespace: 'mgov', name: flow.datasetVersionId }], outputs: [{ namespace: 's3://scores', name: 'loans/scored.parquet', facets: {} }],
    });
    const first = await client.call<{ recorded: boolean; inputs: unknown[] }>('lineage', 'POST', '/api/v1/lineage', engineer, event);
    expect(first).toMatchObject({ recorded: true, inputs: [{ namespace: 'mgov', name: flow.datasetVersionId, datasetVersionId: flow.datasetVersionId }] });
    expect(await client.call('lineage', 'POST', '/api/v1/lineage', steward, event)).toMatchObject({ recorded: false });
    const downstream = await client.eventually('the OpenLineage run downstream of the dataset version', async () => {
      const graph = await client.call<Graph>('lineage', 'GET', `/lineage/graph/dataset-version/${flow.datasetVersionId}/downstream`, auditor);
      return graph.nodes.some((n) => n.key === `run:${olRunId}`) ? graph : undefined;
    });
    expect(downstream.edges).toContainEqual({ from: `run:${olRunId}`, to: 'external-dataset:s3://scores:loans/scored.parquet', relation: 'produced' });
    const external = encodeURIComponent('s3://scores:loans/scored.parquet');
    const upstream = await client.call<Graph>('lineage', 'GET', `/lineage/graph/external-dataset/${external}/upstream`, auditor);
    expect(upstream.nodes.map((n) => n.key)).toEqual(expect.arrayContaining([`run:${olRunId}`, `dataset-version:${flow.datasetVersionId}`, `source:${sourceId}`]));
  });

  it('refuses malformed OpenLineage events with 400 and every reason, and callers without the role with 403', async () => {
    const refusal = async (body: unknown, caller = engineer) => client.call('lineage', 'POST', '/api/v1/lineage', caller, body).then(() => null, (error: ApiError) => error);
    const missing = await refusal({ eventTime: new Date().toISOString(), producer: 'https://p', schemaURL: 'https://s' });
    expect(missing).toMatchObject({ status: 400, code: 'LINEAGE.INVALID_OPENLINEAGE_EVENT' });
    expect(missing!.message).toContain('run is required; job is required');
    const wrong = await refusal(runEvent('run-42', { eventType: 'FINISHED', inputs: [{ namespace: 'pg' }] }));
    expect(wrong!.message).toContain('eventType must be one of START, RUNNING, COMPLETE, ABORT, FAIL, OTHER, not "FINISHED"');
    expect(wrong!.message).toContain('run.runId must be a UUID, not "run-42"');
    expect(wrong!.message).toContain('inputs[0].name is required');
    expect(await refusal(runEvent(olRunId, { job: { namespace: 'spark', name: 'another_job' } }))).toMatchObject({ status: 409, code: 'LINEAGE.OPENLINEAGE_RUN_JOB_MISMATCH' });
    expect(await refusal(runEvent(randomUUID()), scientist)).toMatchObject({ status: 403, code: 'AUTH.FORBIDDEN' });
    const graphError = await client.call('lineage', 'GET', '/lineage/graph/pipeline/x/upstream', auditor).catch((error: ApiError) => error);
    expect(graphError).toMatchObject({ status: 400, code: 'LINEAGE.UNKNOWN_NODE_KIND' });
  });

  it('reports what a source reached, and records a license revocation with that impact', async () => {
    const impact = await client.call<Impact>('lineage', 'GET', `/lineage/sources/${sourceId}/impact`, auditor);
    expect(impact.source).toMatchObject({ sourceId, licenseStatus: 'active' });
    expect(impact.datasetVersions.map((d) => d.id)).toContain(flow.datasetVersionId);
    expect(impact.runs.map((r) => r.id)).toEqual(expect.arrayContaining([flow.runId, olRunId]));
    expect(impact.modelVersions).toEqual([expect.objectContaining({ modelName: flow.modelName, version: flow.modelVersion })]);
    expect(impact.externalDatasets.map((d) => d.id)).toEqual(['s3://scores:loans/scored.parquet']);

    await expect(client.call('lineage', 'POST', `/lineage/sources/${sourceId}/license-revocation`, auditor, { reason: 'x' })).rejects.toMatchObject({ status: 403 });
    await expect(client.call('lineage', 'POST', `/lineage/sources/${sourceId}/license-revocation`, steward, {})).rejects.toMatchObject({ status: 400, code: 'LINEAGE.REVOCATION_REASON_REQUIRED' });
    await expect(client.call('lineage', 'POST', '/lineage/sources/no-such-source/license-revocation', steward, { reason: 'x' })).rejects.toMatchObject({ status: 404, code: 'LINEAGE.SOURCE_NOT_FOUND' });
    const revoked = await client.call<{ changed: boolean }>('lineage', 'POST', `/lineage/sources/${sourceId}/license-revocation`, steward, { reason: 'provider withdrew consent' });
    expect(revoked).toMatchObject({ changed: true });
    expect(await client.call('lineage', 'POST', `/lineage/sources/${sourceId}/license-revocation`, steward, { reason: 'again' })).toMatchObject({ changed: false });

    const lineage = host.kernels.find((k) => k.runtime.name === 'lineage')!.runtime;
    const [stored] = await lineage.store.readStream(`source-license:${sourceId}`);
    const fact = lineage.codec.decodeEvent(stored.data);
    expect(fact).toMatchObject({
      type: 'SourceLicenseRevoked',
      data: { sourceId, reason: 'provider withdrew consent', impactedModelVersions: [{ modelName: flow.modelName, version: flow.modelVersion }] },
      envelope: { actor: { id: 'graph.steward', role: 'data-steward' } },
    });
    expect(fact.envelope.links).toEqual(expect.arrayContaining([`source:${sourceId}`, `model-version:${flow.modelName}:${flow.modelVersion}`, `run:${olRunId}`]));
    await client.eventually('the source to show as revoked', async () =>
      (await client.call<Impact>('lineage', 'GET', `/lineage/sources/${sourceId}/impact`, auditor)).source.licenseStatus === 'revoked');
  });

  it('given a revoked license, then every dataset version downstream is ineligible for training and nothing new comes from the source', async () => {
    type Version = { eligible: boolean; eligibility_revoked: { reason: string; sourceIds: string[] } | null; dataset_name: string };
    const treated = await client.eventually('the treated version to lose its eligibility', async () => {
      const version = await client.call<Version>('lineage', 'GET', `/lineage/dataset-versions/${flow.datasetVersionId}`, auditor);
      return version.eligibility_revoked ? version : undefined;
    });
    expect(treated).toMatchObject({ eligible: false, eligibility_revoked: { reason: `license of source ${sourceId} revoked`, sourceIds: [sourceId] } });
    const raw = await client.call<Version>('lineage', 'GET', `/lineage/dataset-versions/${flow.rawVersionId}`, auditor);
    expect(raw.eligibility_revoked).not.toBeNull();

    const lineage = host.kernels.find((k) => k.runtime.name === 'lineage')!.runtime;
    const history = (await lineage.store.readStream(`dataset-version:${flow.datasetVersionId}`)).map((s) => lineage.codec.decodeEvent(s.data));
    expect(history.filter((e) => e.type === 'DatasetVersionTrainingEligibilityRevoked')).toHaveLength(1);

    const refused = (call: Promise<unknown>) => call.then(() => null, (error: ApiError) => error);
    expect(await refused(client.call('lineage', 'POST', `/lineage/dataset-versions/${flow.datasetVersionId}/bias-waiver`, steward, { justification: 'we accept the residual risk of this data' })))
      .toMatchObject({ status: 409, code: 'LINEAGE.ELIGIBILITY_REVOKED' });
    expect(await refused(client.call('lineage', 'POST', `/lineage/dataset-versions/${flow.rawVersionId}/privacy-gate`, steward, {})))
      .toMatchObject({ status: 409, code: 'LINEAGE.SOURCE_LICENSE_REVOKED' });
    const upload = await fetch(`${host.url}/lineage/datasets/${raw.dataset_name}/versions?source=${sourceId}&format=csv`, {
      method: 'POST', headers: { authorization: `Bearer ${steward.token}`, 'content-type': 'text/csv' }, body: 'a,b\n1,2\n',
    });
    expect(upload.status).toBe(409);
    expect(((await upload.json()) as { error: { code: string } }).error.code).toBe('LINEAGE.SOURCE_LICENSE_REVOKED');
  });

  it('shows a license past its expiry as expired', async () => {
    const { sourceId: expired } = await client.call<{ sourceId: string }>('lineage', 'POST', '/lineage/sources', steward, {
      name: 'old public dump', kind: 'licensed-public', license: 'CC-BY-4.0', owner: 'data-office', licenseExpiresAt: '2020-01-01',
    });
    const impact = await client.eventually('the expired source in the graph', () => client.call<Impact>('lineage', 'GET', `/lineage/sources/${expired}/impact`, steward));
    expect(impact).toMatchObject({ source: { licenseStatus: 'expired' }, datasetVersions: [], runs: [], modelVersions: [] });
    await expect(client.call('lineage', 'POST', '/lineage/sources', steward, { name: 'x', kind: 'internal', license: 'MIT', owner: 'o', licenseExpiresAt: 'soon' }))
      .rejects.toMatchObject({ status: 400, code: 'LINEAGE.INVALID_LICENSE_EXPIRY' });
  });
});
