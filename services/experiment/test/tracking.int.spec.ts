import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import type { DomainEvent, EnvelopedEvent } from '@mgov/contracts';
import { type Database, postgresDatabase } from '@mgov/event-store';
import { embeddedBus } from '@mgov/messaging';
import { FilesystemObjectStore } from '@mgov/object-store';
import { ServiceKernel } from '@mgov/service-runtime';
import { ExperimentService } from '../src/application/experiment-service';

const url = process.env.MGOV_DATABASE_URL;
if (!url) throw new Error('MGOV_DATABASE_URL is not set: *.int.spec.ts need a real PostgreSQL (node tools/infra/run-with-infra.js npx jest services/experiment)');

const ada = { actor: { id: 'ada', role: 'data-scientist' }, now: 1_790_000_000_000, correlationId: 'c' };
let at = 1_790_000_000_000;
const lineageFact = (event: DomainEvent): EnvelopedEvent => ({
  ...event,
  envelope: {
    eventId: randomUUID(), eventType: event.type, streamId: 's', streamVersion: 1, occurredAt: (at += 1000), actor: { id: 'dana', role: 'data-steward' },
    correlationId: 'c', causationId: null, traceparent: null, tracestate: null, links: [],
  },
} as EnvelopedEvent);
const hex = (c: string) => c.repeat(64);

describe('experiment tracking on PostgreSQL', () => {
  const schema = `experiment_it_${randomBytes(3).toString('hex')}`;
  const dir = mkdtempSync(join(tmpdir(), 'mgov-experiment-it-'));
  let db: Database;
  let kernel: ServiceKernel;
  let experiments: ExperimentService;
  const deliver = async (...events: DomainEvent[]) => {
    const reactor = experiments.module.reactors.find((r) => r.name === 'dataset-gates')!;
    for (const event of events) {
      await db.transaction((tx) => reactor.handle(tx, { kind: 'event', event: lineageFact(event), topic: 'mgov.lineage.events', bytes: Buffer.alloc(0), partition: 0, offset: '0' }));
    }
  };
  const streamLength = async (runId: string) => (await kernel.runtime.store.readStream(`run:${runId}`)).length;

  beforeAll(async () => {
    db = await postgresDatabase(url);
    kernel = new ServiceKernel({ name: 'experiment', db, bus: embeddedBus(db, { schema: `${schema}_bus` }), schema });
    experiments = new ExperimentService(kernel.runtime, new FilesystemObjectStore(join(dir, 'objects')));
    await kernel.start(experiments.module);
  });
  afterAll(async () => {
    await kernel.stop();
    await db.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await db.query(`DROP SCHEMA IF EXISTS ${schema}_bus CASCADE`);
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps a run\'s full history, NaN and infinities included, reads its own writes, and rebuilds to the same read model twice', async () => {
    const { experimentId } = await experiments.createExperiment({ name: 'churn' }, ada);
    const run = await experiments.createRun({ experimentId, runName: 'first' }, ada);
    const runId = run.info.run_id;
    await experiments.logData(runId, {
      metrics: [
        { key: 'loss', value: 0.5, timestamp: 1, step: 0 }, { key: 'loss', value: Number.NaN, timestamp: 2, step: 1 },
        { key: 'loss', value: 0.25, timestamp: 3, step: 2 }, { key: 'gain', value: Number.POSITIVE_INFINITY, timestamp: 1, step: 0 },
        { key: 'drop', value: Number.NEGATIVE_INFINITY, timestamp: 1, step: 0 },
      ],
      params: [{ key: 'lr', value: '0.1' }], tags: [{ key: 'team', value: 'risk' }],
    }, ada);
    const stored = await experiments.uploadArtifact(experimentId, runId, 'model/model.onnx', Readable.from([Buffer.from('onnx-bytes')]), ada);
    await experiments.logInputs(runId, [{ dataset: { name: 'scratch', digest: 'abc123', sourceType: 'local', source: '{}', schema: '', profile: '' }, tags: {} }], ada);
    await experiments.updateRun(runId, { status: 'FINISHED', endTime: 5 }, ada);

    const history = await experiments.queries.metricHistory(runId, 'loss');
    expect(history.metrics).toEqual([
      { key: 'loss', value: 0.5, timestamp: 1, step: 0 }, { key: 'loss', value: 'NaN', timestamp: 2, step: 1 }, { key: 'loss', value: 0.25, timestamp: 3, step: 2 },
    ]);
    const view = await experiments.queries.run(runId);
    expect(view.data.metrics).toEqual([
      { key: 'drop', value: '-Infinity', timestamp: 1, step: 0 }, { key: 'gain', value: 'Infinity', timestamp: 1, step: 0 }, { key: 'loss', value: 0.25, timestamp: 3, step: 2 },
    ]);
    expect(view.info).toMatchObject({ status: 'FINISHED', user_id: 'ada', experiment_id: experimentId, artifact_uri: `mlflow-artifacts:/${experimentId}/${runId}/artifacts` });
    expect(view.mgov).toMatchObject({
      data_unverified: true, unknown_inputs: ['scratch@abc123'], artifact_digest: `sha256:${stored.sha256}`,
      artifacts: [{ path: 'model/model.onnx', sha256: stored.sha256, size: 10 }],
    });
    expect(await experiments.listArtifacts(experimentId, runId, '')).toEqual([{ path: 'model', is_dir: true }]);

    const snapshot = async () => ({
      run: await experiments.queries.run(runId), history: await experiments.queries.metricHistory(runId, 'loss'),
      search: await experiments.queries.searchRuns({ experimentIds: [experimentId], filter: "params.lr = '0.1' and metrics.loss < 1" }),
      experiment: await experiments.queries.experimentByName('churn'),
    });
    const before = await snapshot();
    expect(before.search.runs.map((r) => r.info.run_id)).toEqual([runId]);
    await kernel.rebuildReadModels();
    expect(await snapshot()).toEqual(before);
    await kernel.rebuildReadModels();
    expect(await snapshot()).toEqual(before);
  });

  it('reads its own writes while other writers append concurrently', async () => {
    const { experimentId } = await experiments.createExperiment({ name: 'concurrent' }, ada);
    const seen = await Promise.all(Array.from({ length: 8 }, async (_, i) => {
      const runId = (await experiments.createRun({ experimentId }, ada)).info.run_id;
      await experiments.logData(runId, { metrics: [{ key: 'i', value: i, timestamp: 1, step: 0 }] }, ada);
      return (await experiments.queries.run(runId)).data.metrics.map((m) => m.value);
    }));
    expect(seen).toEqual(Array.from({ length: 8 }, (_, i) => [i]));
  });

  it("takes MLflow's latest value: highest step, then timestamp, then value, NaN below every number", async () => {
    const { experimentId } = await experiments.createExperiment({ name: 'latest' }, ada);
    const runId = (await experiments.createRun({ experimentId }, ada)).info.run_id;
    await experiments.logData(runId, { metrics: [{ key: 'a', value: Number.NaN, timestamp: 5, step: 1 }, { key: 'b', value: 2, timestamp: 5, step: 1 }] }, ada);
    await experiments.logData(runId, { metrics: [{ key: 'a', value: 1, timestamp: 5, step: 1 }, { key: 'b', value: Number.NaN, timestamp: 5, step: 1 }] }, ada);
    await experiments.logData(runId, { metrics: [{ key: 'b', value: 0, timestamp: 4, step: 1 }, { key: 'c', value: 9, timestamp: 9, step: 0 }, { key: 'c', value: 3, timestamp: 1, step: 2 }] }, ada);
    const latest = Object.fromEntries((await experiments.queries.run(runId)).data.metrics.map((m) => [m.key, m.value]));
    expect(latest).toEqual({ a: 1, b: 2, c: 3 });
    await experiments.updateRun(runId, { status: 'FINISHED' }, ada);
    const completed = (await kernel.runtime.store.readStream(`run:${runId}`)).map((e) => kernel.runtime.codec.decodeEvent(e.data)).find((e) => e.type === 'RunCompleted')!;
    expect((completed.data as { metrics: object }).metrics).toEqual({ a: 1, b: 2, c: 3 });
  });

  it('writes nothing for a refused call: over the limits, a changed param, an ended run', async () => {
    const { experimentId } = await experiments.createExperiment({ name: 'limits' }, ada);
    const runId = (await experiments.createRun({ experimentId }, ada)).info.run_id;
    await experiments.logData(runId, { params: [{ key: 'depth', value: '6' }] }, ada);
    const length = await streamLength(runId);
    const many = Array.from({ length: 1001 }, (_, i) => ({ key: `m${i}`, value: i, timestamp: 1, step: 0 }));
    await expect(experiments.logData(runId, { metrics: many }, ada)).rejects.toMatchObject({ code: 'EXPERIMENT.BATCH_TOO_LARGE' });
    await expect(experiments.logData(runId, { metrics: many.slice(0, 5), params: [{ key: 'depth', value: '7' }] }, ada)).rejects.toMatchObject({ code: 'EXPERIMENT.PARAM_CHANGED' });
    expect(await streamLength(runId)).toBe(length);
    expect((await experiments.queries.metricHistory(runId, 'm0')).metrics).toEqual([]);
    await experiments.updateRun(runId, { status: 'KILLED' }, ada);
    await expect(experiments.logData(runId, { tags: [{ key: 't', value: 'v' }] }, ada)).rejects.toMatchObject({ code: 'EXPERIMENT.RUN_ENDED' });
    await expect(experiments.createExperiment({ name: 'limits' }, ada)).rejects.toMatchObject({ code: 'EXPERIMENT.EXPERIMENT_EXISTS' });
    await expect(experiments.createRun({ experimentId: '999' }, ada)).rejects.toMatchObject({ code: 'EXPERIMENT.EXPERIMENT_NOT_FOUND' });
  });

  it('binds inputs to lineage\'s eligibility: eligible versions attach, known ineligible or revoked ones are refused and recorded', async () => {
    const [eligible, raw, revoked] = [hex('a'), hex('b'), hex('c')];
    await deliver(
      { type: 'DatasetVersionRegistered', data: { datasetVersionId: raw, datasetName: 'loans', sourceIds: ['crm'], parentVersionIds: [], transformation: null, rowCount: 1, columns: [] } } as unknown as DomainEvent,
      { type: 'DatasetVersionClearedForTraining', data: { datasetVersionId: eligible, gate: 'privacy-gate+bias-scan', policyVersion: 'p' } },
      { type: 'DatasetVersionClearedForTraining', data: { datasetVersionId: revoked, gate: 'privacy-gate+bias-scan', policyVersion: 'p' } },
      { type: 'DatasetVersionTrainingEligibilityRevoked', data: { datasetVersionId: revoked, reason: 'license of source crm revoked', sourceIds: ['crm'] } },
      // A late duplicate of the clearance does not undo the revocation.
      { type: 'DatasetVersionClearedForTraining', data: { datasetVersionId: revoked, gate: 'privacy-gate+bias-scan', policyVersion: 'p' } },
    );
    expect(await experiments.eligibility(revoked)).toMatchObject({ eligible: false, revoked: 'license of source crm revoked' });
    const { experimentId } = await experiments.createExperiment({ name: 'bound' }, ada);
    const runId = (await experiments.createRun({ experimentId }, ada)).info.run_id;
    const input = (id: string) => ({ dataset: { name: 'loans', digest: id.slice(0, 8), sourceType: 'http', source: JSON.stringify({ url: `https://mgov/lineage/dataset-versions/${id}/content` }), schema: '', profile: '' }, tags: {} });
    await experiments.logInputs(runId, [input(eligible)], ada);
    await expect(experiments.logInputs(runId, [input(raw)], ada)).rejects.toMatchObject({ code: 'EXPERIMENT.DATASET_NOT_ELIGIBLE', message: expect.stringContaining('privacy gate') });
    await expect(experiments.logInputs(runId, [input(revoked)], ada)).rejects.toMatchObject({ code: 'EXPERIMENT.DATASET_NOT_ELIGIBLE', message: expect.stringContaining('license of source crm revoked') });
    await expect(experiments.startRun({ experimentName: 'bound', datasetVersionIds: [revoked] }, ada)).rejects.toMatchObject({ code: 'EXPERIMENT.DATASET_NOT_ELIGIBLE' });
    const events = (await kernel.runtime.store.readStream(`run:${runId}`)).map((s) => kernel.runtime.codec.decodeEvent(s.data));
    expect(events.filter((e) => e.type === 'RunRefused').map((e) => (e.data as { datasetVersionId: string }).datasetVersionId)).toEqual([raw, revoked]);
    expect((await experiments.queries.run(runId)).mgov).toMatchObject({ dataset_version_ids: [eligible], data_unverified: false });
  });
});
