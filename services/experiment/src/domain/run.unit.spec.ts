import { deciderSpec } from '@mgov/testing';
import type { ArtifactLogged, RunCompleted, RunDataLogged, RunInputsLogged, RunRefused, RunStarted } from '@mgov/contracts';
import { type CompleteRun, type EndRun, type LogRunData, runDecider, type StartRun } from './run';
import { toSeries } from './tracking-limits';

const metadata = { actor: { id: 'ada', role: 'data-scientist' }, now: 1_790_000_000_000, correlationId: 'c' };
const digest = `sha256:${'ab'.repeat(32)}`;
const start: StartRun = {
  type: 'StartRun', runId: 'r1', experimentName: 'loans-gbm', experimentId: '7', datasetVersionIds: ['dv1', 'dv2'],
  params: { depth: '6' }, ineligibleDatasetVersionIds: [], metadata,
};
const started: RunStarted = {
  type: 'RunStarted',
  data: { runId: 'r1', experimentName: 'loans-gbm', datasetVersionIds: ['dv1', 'dv2'], params: { depth: '6' }, experimentId: '7', runName: '', startTime: metadata.now, user: 'ada', tags: {} },
};
const refused = (datasetVersionId: string): RunRefused => ({
  type: 'RunRefused',
  data: { runId: 'r1', experimentName: 'loans-gbm', datasetVersionId, reason: `dataset version ${datasetVersionId} is not eligible for training` },
});
const point = (key: string, value: number, step: number, timestamp = 1000) => ({ key, value, step, timestamp });
const log = (over: Partial<LogRunData>): LogRunData => ({ type: 'LogRunData', runId: 'r1', metrics: [], params: [], tags: [], metadata, ...over });
const logged = (over: Partial<RunDataLogged['data']>): RunDataLogged => ({ type: 'RunDataLogged', data: { runId: 'r1', metrics: [], params: [], tags: [], ...over } });
const end = (status: EndRun['status']): EndRun => ({ type: 'EndRun', runId: 'r1', status, endTime: 2000, metadata });
const summary = (over: Partial<RunCompleted['data']> = {}): RunCompleted => ({
  type: 'RunCompleted',
  data: {
    runId: 'r1', metrics: {}, artifactDigest: null, experimentId: '7', user: 'ada', status: 'FINISHED', params: { depth: '6' }, artifacts: [],
    datasetVersionIds: ['dv1', 'dv2'], unknownInputs: [], dataUnverified: false, ...over,
  },
});
const artifact = (path: string, hex: string): ArtifactLogged => ({ type: 'ArtifactLogged', data: { runId: 'r1', path, sha256: hex, size: 10 } });
const spec = deciderSpec(runDecider);

describe('run', () => {
  it('starts on dataset versions cleared for training, as the principal who asked', () => {
    spec.given([]).when(start).then([started]);
    spec.given([]).when({ ...start, datasetVersionIds: ['dv1', 'dv2', 'dv1'] }).then([started]);
  });

  it('records one refusal per dataset version not cleared for training, with the missing gate', () => {
    spec.given([]).when({ ...start, ineligibleDatasetVersionIds: ['dv1', 'dv2'] }).then([refused('dv1'), refused('dv2')]);
    const [event] = runDecider.decide({ ...start, ineligibleDatasetVersionIds: ['dv2'], ineligibilityReasons: { dv2: 'the privacy gate rejected it' } }, runDecider.initialState());
    expect(event).toMatchObject({ type: 'RunRefused', data: { reason: 'dataset version dv2 is not eligible for training: the privacy gate rejected it' } });
  });

  it('needs data at start on the native API, not for MLflow runs', () => {
    spec.given([]).when({ ...start, datasetVersionIds: [] }).thenThrows('EXPERIMENT.DATASET_REQUIRED');
    spec.given([]).when({ ...start, experimentName: ' ' }).thenThrows('EXPERIMENT.EXPERIMENT_NAME_REQUIRED');
    spec.given([]).when({ ...start, datasetVersionIds: [], requireDataset: false, runName: 'bold-owl' })
      .then([{ ...started, data: { ...started.data, datasetVersionIds: [], runName: 'bold-owl', tags: { 'mlflow.runName': 'bold-owl' } } }]);
    spec.given([started]).when(start).thenThrows('EXPERIMENT.RUN_EXISTS');
  });

  it('logs params once: the same value again is nothing, another value is an error', () => {
    spec.given([started]).when(log({ params: [{ key: 'lr', value: '0.1' }] })).then([logged({ params: [{ key: 'lr', value: '0.1' }] })]);
    spec.given([started]).when(log({ params: [{ key: 'depth', value: '6' }] })).then([]);
    spec.given([started]).when(log({ params: [{ key: 'depth', value: '7' }] })).thenThrows('EXPERIMENT.PARAM_CHANGED');
    spec.given([started]).when(log({ params: [{ key: 'lr', value: '1' }, { key: 'lr', value: '2' }] })).thenThrows('EXPERIMENT.PARAM_CHANGED');
  });

  it('groups a call\'s points by key, in the order sent', () => {
    expect(toSeries([point('a', 1, 0), point('b', 2, 0), point('a', 3, 1)])).toEqual([
      { key: 'a', values: [1, 3], timestamps: [1000, 1000], steps: [0, 1] }, { key: 'b', values: [2], timestamps: [1000], steps: [0] },
    ]);
  });

  it('keeps NaN and infinities as logged', () => {
    const metrics = [point('loss', Number.NaN, 0), point('loss', Number.POSITIVE_INFINITY, 1), point('gain', Number.NEGATIVE_INFINITY, 0)];
    spec.given([started]).when(log({ metrics })).then([logged({ metrics: [
      { key: 'loss', values: [Number.NaN, Number.POSITIVE_INFINITY], timestamps: [1000, 1000], steps: [0, 1] },
      { key: 'gain', values: [Number.NEGATIVE_INFINITY], timestamps: [1000], steps: [0] },
    ] })]);
  });

  it("holds MLflow's batch limits and key rules, writing nothing when over", () => {
    const many = (n: number) => Array.from({ length: n }, (_, i) => point(`m${i}`, i, 0));
    spec.given([started]).when(log({ metrics: many(1000) })).then([logged({ metrics: toSeries(many(1000)) })]);
    spec.given([started]).when(log({ metrics: many(1001) })).thenThrows('EXPERIMENT.BATCH_TOO_LARGE');
    const kv = (n: number) => Array.from({ length: n }, (_, i) => ({ key: `k${i}`, value: 'v' }));
    spec.given([started]).when(log({ params: kv(101) })).thenThrows('EXPERIMENT.BATCH_TOO_LARGE');
    spec.given([started]).when(log({ tags: kv(101) })).thenThrows('EXPERIMENT.BATCH_TOO_LARGE');
    spec.given([started]).when(log({ metrics: many(950), params: kv(51) })).thenThrows('EXPERIMENT.BATCH_TOO_LARGE');
    spec.given([started]).when(log({ metrics: [point('../x', 1, 0)] })).thenThrows('EXPERIMENT.INVALID_PARAMETER_VALUE');
    spec.given([started]).when(log({ metrics: [{ ...point('x', 1, 0), step: 1.5 }] })).thenThrows('EXPERIMENT.INVALID_PARAMETER_VALUE');
    spec.given([started]).when(log({ metrics: [point('x', '1' as unknown as number, 0)] })).thenThrows('EXPERIMENT.INVALID_PARAMETER_VALUE');
    spec.given([started]).when(log({ params: [{ key: 'p', value: 'x'.repeat(6001) }] })).thenThrows('EXPERIMENT.INVALID_PARAMETER_VALUE');
  });

  it('takes data only while running and not deleted', () => {
    spec.given([]).when(log({ tags: [{ key: 't', value: 'v' }] })).thenThrows('EXPERIMENT.RUN_NOT_FOUND');
    spec.given([started, summary()]).when(log({ tags: [{ key: 't', value: 'v' }] })).thenThrows('EXPERIMENT.RUN_ENDED');
    spec.given([started, { type: 'RunDeleted', data: { runId: 'r1' } }]).when(log({ tags: [{ key: 't', value: 'v' }] })).thenThrows('EXPERIMENT.RUN_NOT_ACTIVE');
    spec.given([refused('dv1')]).when(log({ tags: [{ key: 't', value: 'v' }] })).thenThrows('EXPERIMENT.RUN_NOT_ACTIVE');
  });

  it('finishes with a summary of the latest metric values, params, artifacts and inputs', () => {
    const history = [
      started,
      logged({ metrics: toSeries([point('acc', 0.5, 0), point('acc', 0.9, 2), point('acc', 0.7, 1)]), params: [{ key: 'lr', value: '0.1' }] }),
      { type: 'FairnessMetricsComputed', data: { runId: 'r1', library: 'mgov-bias@1.0.0', rows: 4, attributes: ['sex'], evaluationSetSha256: '', metrics: [point('fairness.sex.disparate_impact', 0.8, 0)] } } as const,
      artifact('model/model.pkl', 'cd'.repeat(32)),
      artifact('plots/roc.png', 'ef'.repeat(32)),
    ];
    spec.given(history).when(end('FINISHED')).then([summary({
      metrics: { acc: 0.9, 'fairness.sex.disparate_impact': 0.8 }, params: { depth: '6', lr: '0.1' },
      artifacts: [{ path: 'model/model.pkl', sha256: 'cd'.repeat(32), size: 10 }, { path: 'plots/roc.png', sha256: 'ef'.repeat(32), size: 10 }],
      artifactDigest: `sha256:${'cd'.repeat(32)}`,
    })]);
  });

  it('marks a run data-unverified when an input is unknown to MGov', () => {
    const inputs: RunInputsLogged = {
      type: 'RunInputsLogged',
      data: { runId: 'r1', inputs: [{ name: 'iris', digest: 'abc', sourceType: 'local', source: '{}', schema: '', profile: '', tags: {}, datasetVersionId: null }] },
    };
    spec.given([started, inputs]).when(end('FINISHED')).then([summary({ unknownInputs: ['iris@abc'], dataUnverified: true })]);
  });

  it('refuses an input that is a known but ineligible dataset version, and records it', () => {
    spec.given([started]).when({ type: 'LogInputs', runId: 'r1', inputs: [], ineligible: { dv9: 'its license was revoked' }, metadata })
      .then([{ type: 'RunRefused', data: { runId: 'r1', experimentName: 'loans-gbm', datasetVersionId: 'dv9', reason: 'dataset version dv9 is not eligible for training: its license was revoked' } }]);
  });

  it('ends FAILED or KILLED with their own facts; ending again the same way is nothing, another way an error', () => {
    spec.given([started]).when(end('FAILED')).then([{ type: 'RunFailed', data: { runId: 'r1', experimentId: '7', endTime: 2000 } }]);
    spec.given([started]).when(end('KILLED')).then([{ type: 'RunKilled', data: { runId: 'r1', experimentId: '7', endTime: 2000 } }]);
    spec.given([started, summary()]).when(end('FINISHED')).then([]);
    spec.given([started, summary()]).when(end('FAILED')).thenThrows('EXPERIMENT.RUN_ENDED');
  });

  it('completes on the native API with final metrics and an explicit digest', () => {
    const complete: CompleteRun = { type: 'CompleteRun', runId: 'r1', metrics: { accuracy: 0.91 }, artifactDigest: digest, metadata };
    spec.given([started]).when(complete).then([
      logged({ metrics: [{ key: 'accuracy', values: [0.91], timestamps: [metadata.now], steps: [0] }] }), summary({ metrics: { accuracy: 0.91 }, artifactDigest: digest }),
    ]);
    spec.given([started]).when({ ...complete, metrics: { f1: Number.NaN } }).thenThrows('EXPERIMENT.INVALID_METRIC');
    spec.given([started]).when({ ...complete, artifactDigest: `sha256:${'AB'.repeat(32)}` }).thenThrows('EXPERIMENT.INVALID_DIGEST');
    spec.given([]).when(complete).thenThrows('EXPERIMENT.RUN_NOT_FOUND');
    spec.given([started, summary()]).when(complete).thenThrows('EXPERIMENT.RUN_NOT_RUNNING');
  });

  it('picks no primary artifact when several files look like models, unless a tag names one', () => {
    const two = [started, artifact('a.pkl', 'cd'.repeat(32)), artifact('b.onnx', 'ef'.repeat(32))];
    const [ambiguous] = runDecider.decide(end('FINISHED'), two.reduce(runDecider.evolve, runDecider.initialState()));
    expect((ambiguous as RunCompleted).data.artifactDigest).toBeNull();
    const tagged = [...two, logged({ tags: [{ key: 'mgov.primary_artifact', value: 'b.onnx' }] })];
    const [chosen] = runDecider.decide(end('FINISHED'), tagged.reduce(runDecider.evolve, runDecider.initialState()));
    expect((chosen as RunCompleted).data.artifactDigest).toBe(`sha256:${'ef'.repeat(32)}`);
  });
});
