import type { DomainEvent, EnvelopedEvent } from '@mgov/contracts';
import { type EmbeddedDatabase, embeddedDatabase } from '@mgov/event-store';
import type { DecodedMessage } from '@mgov/service-runtime';
import { LineageGraph } from './lineage-graph';
import { localLineageGraph, remoteLineageGraph } from './lineage-graph.projections';

const schema = 'mgov_graph_test';
const d1 = '1'.repeat(64);
const d2 = '2'.repeat(64);
let n = 0;
const enveloped = (event: DomainEvent, links: string[] = []): EnvelopedEvent => ({
  ...event,
  envelope: {
    eventId: `e${++n}`, eventType: event.type, streamId: 's', streamVersion: 1, occurredAt: Date.UTC(2025, 0, 1) + n * 1000,
    actor: { id: 'a', role: 'data-steward' }, correlationId: 'c', causationId: null, traceparent: null, tracestate: null, links,
  },
}) as EnvelopedEvent;

const local = [
  enveloped({ type: 'SourceRegistered', data: { sourceId: 'crm', name: 'CRM', kind: 'internal', license: 'MIT', owner: 'o', personalDataColumns: [], licenseExpiresAt: Date.UTC(2030, 0, 1) } }),
  enveloped({ type: 'DatasetVersionRegistered', data: { datasetVersionId: d1, datasetName: 'loans', sourceIds: ['crm'], parentVersionIds: [], transformation: null, rowCount: 3, columns: [] } }),
  enveloped({ type: 'DatasetVersionRegistered', data: { datasetVersionId: d2, datasetName: 'loans-clean', sourceIds: ['crm'], parentVersionIds: [d1], transformation: 'dedupe', rowCount: 2, columns: [] } }),
  enveloped({ type: 'DatasetVersionClearedForTraining', data: { datasetVersionId: d2, gate: 'stub', policyVersion: 'p' } }),
  enveloped({ type: 'BiasScanWaived', data: { datasetVersionId: d2, justification: 'j', policyVersion: 1, scannerVersion: 's' } }),
  enveloped({ type: 'OpenLineageRunEventReceived', data: {
    runId: 'ol1', eventType: 'COMPLETE', eventTime: '2025-01-02T00:00:00Z', eventTimeMs: 0, producer: 'https://p', schemaURL: 'https://s',
    job: { namespace: 'airflow', name: 'export' }, parentRun: null, inputs: [{ namespace: 'mgov', name: d2, datasetVersionId: d2 }],
    outputs: [{ namespace: 's3://b', name: 'features', datasetVersionId: null }], eventDigest: 'x', event: '{}',
  } }),
  enveloped({ type: 'SourceLicenseRevoked', data: { sourceId: 'crm', reason: 'contract ended', impactedDatasetVersionIds: [], impactedRunIds: [], impactedModelVersions: [], impactedDeploymentIds: [] } }),
];
const remote = [
  enveloped({ type: 'RunStarted', data: { runId: 'r1', experimentName: 'credit', datasetVersionIds: [d2], params: {}, experimentId: '', runName: '', startTime: 0, user: '', tags: {} } }),
  enveloped({ type: 'RunCompleted', data: { runId: 'r1', metrics: {}, artifactDigest: 'sha256:aa', experimentId: '', user: '', status: 'FINISHED', params: {}, artifacts: [], datasetVersionIds: [], unknownInputs: [], dataUnverified: false } }),
  enveloped({ type: 'ModelVersionRegistered', data: { modelName: 'credit', version: 1, tag: 'credit:1', digest: 'sha256:aa', candidateId: 'c', runId: 'r1', datasetVersionIds: [d2], submittedBy: '', approvedBy: [], metrics: {}, policyVersion: '' } }),
  // An MLflow run: its known input by MGov version, its unknown one as an external dataset.
  enveloped({ type: 'RunInputsLogged', data: { runId: 'm1', inputs: [
    { name: 'loans', digest: 'abc', sourceType: 'local', source: '', schema: '', profile: '', tags: {}, datasetVersionId: d2 },
    { name: 'scraped', digest: 'def', sourceType: 'http', source: 'https://x.test/data.csv', schema: '', profile: '', tags: {}, datasetVersionId: null },
  ] } }),
  enveloped({ type: 'RunRefused', data: { runId: 'r9', experimentName: 'x', datasetVersionId: d1, reason: 'ineligible' } }),
  // No registry event names deployments yet; one that links a version to a deployment draws the edge.
  enveloped({ type: 'ModelVersionApproved', data: { modelName: 'credit', candidateId: 'c', approvedBy: 'r', justification: 'ok' } }, ['model-version:credit:1', 'deployment:prod-eu']),
];
const asMessage = (event: EnvelopedEvent): DecodedMessage => ({ kind: 'event', event, topic: 't', bytes: Buffer.alloc(0), partition: 0, offset: '0' });

describe('the lineage graph projections', () => {
  let db: EmbeddedDatabase;
  const readModel = localLineageGraph(schema);
  const reactor = remoteLineageGraph(schema);
  let graph: LineageGraph;
  const project = () => db.transaction(async (tx) => {
    for (const event of local) await readModel.handle(tx, event);
    for (const event of remote) await reactor.handle(tx, asMessage(event));
  });
  const everything = async () => ({
    down: await graph.view('source', 'crm', 'downstream', 10),
    up: await graph.view('model-version', 'credit:1', 'upstream', 10),
  });

  beforeAll(async () => {
    db = await embeddedDatabase();
    await db.query(`CREATE SCHEMA ${schema}`);
    await db.transaction(async (tx) => {
      await readModel.setup(tx);
      await reactor.setup!(tx);
    });
    graph = new LineageGraph(db, schema);
    await project();
  });
  afterAll(() => db.close());

  it('joins lineage, OpenLineage, experiment and registry facts into one graph', async () => {
    const { down, up } = await everything();
    expect(down.nodes.map((node) => node.key)).toEqual([
      'source:crm', `dataset-version:${d1}`, `dataset-version:${d2}`, 'run:m1', 'run:ol1', 'run:r1', 'external-dataset:s3://b:features', 'model-version:credit:1', 'deployment:prod-eu',
    ]);
    expect(up.nodes.map((node) => node.key)).toEqual(['model-version:credit:1', 'run:r1', `dataset-version:${d2}`, `dataset-version:${d1}`, 'source:crm']);
    expect(down.nodes[0]).toMatchObject({ label: 'CRM', attributes: { license: 'MIT', licenseExpiresAt: '2030-01-01T00:00:00.000Z', licenseRevocationReason: 'contract ended' } });
    expect(down.nodes.find((node) => node.key === `dataset-version:${d2}`)).toMatchObject({ attributes: { eligible: true, biasScan: 'waived', datasetName: 'loans-clean' } });
    expect(down.nodes.find((node) => node.key === 'run:r1')).toMatchObject({ label: 'credit', attributes: { status: 'finished', artifactDigest: 'sha256:aa' } });
    expect(down.nodes.find((node) => node.key === 'run:ol1')).toMatchObject({ attributes: { 'openLineage.COMPLETE': '2025-01-02T00:00:00Z', openLineageJob: 'airflow/export' } });
    expect(down.edges).toContainEqual({ from: `dataset-version:${d1}`, to: `dataset-version:${d2}`, relation: 'parent-of' });
    expect((await graph.nodes(['run:r9']))).toEqual([]);
    const mlflowRun = await graph.view('run', 'm1', 'upstream', 1);
    expect(mlflowRun.edges).toEqual(expect.arrayContaining([
      { from: `dataset-version:${d2}`, to: 'run:m1', relation: 'input-to' },
      { from: 'external-dataset:mlflow:scraped@def', to: 'run:m1', relation: 'input-to' },
    ]));
    expect(mlflowRun.nodes.find((node) => node.key === 'external-dataset:mlflow:scraped@def')).toMatchObject({ attributes: { unverified: true, source: 'https://x.test/data.csv' } });
    const job = await graph.view('external-job', 'airflow:export', 'downstream', 10);
    expect(job.edges).toContainEqual({ from: 'external-job:airflow:export', to: 'run:ol1', relation: 'ran' });
  });

  it('gives the same graph when every event is handled again, and after a rebuild of its own part', async () => {
    const once = await everything();
    await project();
    expect(await everything()).toEqual(once);
    await db.transaction((tx) => readModel.reset(tx));
    await db.transaction(async (tx) => {
      for (const event of local) await readModel.handle(tx, event);
    });
    expect(await everything()).toEqual(once);
  });

  it('answers 404 for a node it does not know', async () => {
    await expect(graph.view('run', 'nope', 'upstream', 3)).rejects.toMatchObject({ code: 'LINEAGE.GRAPH_NODE_NOT_FOUND', status: 404 });
  });
});
