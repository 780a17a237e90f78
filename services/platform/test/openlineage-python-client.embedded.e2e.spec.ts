import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { issueApiKey, type KeyHolder, MgovClient } from '@mgov/demo-flow';
import type { RunningHost } from '@mgov/http-edge';
import { startEmbeddedPlatform } from '../src/embedded-platform';
import { bootstrapAdmin } from './access.fixture';
import { requirePythonClient } from './process.fixture';

const SCRIPT = resolve(__dirname, '../../lineage/src/openlineage/compat/emit_run_events.py');


type Graph = { nodes: Array<{ key: string; attributes: Record<string, unknown> }>; edges: Array<{ from: string; to: string; relation: string }> };

describe('OpenLineage intake with the real openlineage-python client (embedded runtime)', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'mgov-openlineage-'));
  const admin = bootstrapAdmin();
  let host: RunningHost;
  let client: MgovClient;
  let integration: KeyHolder;

  beforeAll(async () => {
    requirePythonClient('openlineage-python', 'import openlineage.client, importlib.metadata as m; print(m.version("openlineage-python"))');
    host = await startEmbeddedPlatform({ dataDir, port: 0, bootstrapToken: admin.token });
    client = new MgovClient(() => host.url);
    integration = await issueApiKey(client, admin, 'airflow-integration', ['ml-engineer']);
  }, 120_000);

  afterAll(async () => {
    await host?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('records START and COMPLETE sent over the client\'s HTTP transport with api_key auth, into the lineage graph', async () => {
    const runId = randomUUID();
    const { stdout } = await promisify(execFile)('python3', [SCRIPT, host.url, integration.token, runId], { timeout: 60_000 });
    expect(stdout).toContain(`emitted START and COMPLETE for ${runId}`);

    const upstream = await client.eventually('the run in the lineage graph', async () => {
      const graph = await client.call<Graph>('lineage', 'GET', `/lineage/graph/run/${runId}/upstream`, integration);
      const run = graph.nodes.find((n) => n.key === `run:${runId}`);
      return run?.attributes['openLineage.START'] && run.attributes['openLineage.COMPLETE'] ? graph : undefined;
    });
    expect(upstream.edges).toEqual(expect.arrayContaining([
      { from: 'external-job:airflow-compat:features.build_loans', to: `run:${runId}`, relation: 'ran' },
      { from: 'external-dataset:postgres://warehouse:5432:public.loans', to: `run:${runId}`, relation: 'input-to' },
    ]));
    const downstream = await client.call<Graph>('lineage', 'GET', `/lineage/graph/run/${runId}/downstream`, integration);
    expect(downstream.edges).toEqual([{ from: `run:${runId}`, to: 'external-dataset:s3://features:loans/latest.parquet', relation: 'produced' }]);

    const lineage = host.kernels.find((k) => k.runtime.name === 'lineage')!.runtime;
    const facts = (await lineage.store.readStream(`openlineage-run:${runId}`)).map((stored) => lineage.codec.decodeEvent(stored.data));
    expect(facts.map((f) => f.type === 'OpenLineageRunEventReceived' && [f.data.eventType, f.envelope.actor])).toEqual([
      ['START', { id: 'airflow-integration', role: 'ml-engineer' }], ['COMPLETE', { id: 'airflow-integration', role: 'ml-engineer' }],
    ]);

    expect(stdout).toContain('emitted a JobEvent and a DatasetEvent');
    const features = 'external-dataset:postgres://warehouse:5432:marts.loans_features';
    const staticLineage = await client.eventually('the JobEvent\'s static lineage and the DatasetEvent\'s facets in the graph', async () => {
      const graph = await client.call<Graph>('lineage', 'GET', `/lineage/graph/external-dataset/${encodeURIComponent('postgres://warehouse:5432:marts.loans_features')}/upstream`, integration);
      const node = graph.nodes.find((n) => n.key === features);
      return node?.attributes.openLineageFacets ? graph : undefined;
    });
    expect(staticLineage.edges).toEqual(expect.arrayContaining([
      { from: 'external-job:dbt-compat:marts.loans_features', to: features, relation: 'produced' },
      { from: 'external-dataset:postgres://warehouse:5432:public.loans', to: 'external-job:dbt-compat:marts.loans_features', relation: 'input-to' },
    ]));
    expect(staticLineage.nodes.find((n) => n.key === features)!.attributes.openLineageFacets).toEqual(['schema']);
  }, 120_000);
});
