import { deciderSpec } from '@mgov/testing';
import type { RunCompleted, RunRefused, RunStarted } from '@mgov/contracts';
import { type CompleteRun, runDecider, type StartRun } from './run';

const metadata = { actor: { id: 'ada', role: 'data-scientist' }, now: 1_790_000_000_000, correlationId: 'c' };
const digest = `sha256:${'ab'.repeat(32)}`;
const start: StartRun = {
  type: 'StartRun', runId: 'r1', experimentName: 'loans-gbm', datasetVersionIds: ['dv1', 'dv2'],
  params: { depth: '6' }, ineligibleDatasetVersionIds: [], metadata,
};
const complete: CompleteRun = { type: 'CompleteRun', runId: 'r1', metrics: { accuracy: 0.91, fairness_gap: 0.02 }, artifactDigest: digest, metadata };
const started: RunStarted = {
  type: 'RunStarted', data: { runId: 'r1', experimentName: 'loans-gbm', datasetVersionIds: ['dv1', 'dv2'], params: { depth: '6' } },
};
const refused = (datasetVersionId: string): RunRefused => ({
  type: 'RunRefused',
  data: { runId: 'r1', experimentName: 'loans-gbm', datasetVersionId, reason: `dataset version ${datasetVersionId} is not eligible for training` },
});
const completed: RunCompleted = { type: 'RunCompleted', data: { runId: 'r1', metrics: { accuracy: 0.91, fairness_gap: 0.02 }, artifactDigest: digest, experimentId: '', user: '', status: 'FINISHED', params: {}, artifacts: [], datasetVersionIds: [], unknownInputs: [], dataUnverified: false } };
const spec = deciderSpec(runDecider);

describe('run', () => {
  it('starts on dataset versions cleared for training', () => {
    spec.given([]).when(start).then([started]);
    spec.given([]).when({ ...start, datasetVersionIds: ['dv1', 'dv2', 'dv1'] }).then([started]);
  });

  it('records one refusal per dataset version not cleared for training', () => {
    spec.given([]).when({ ...start, ineligibleDatasetVersionIds: ['dv2'] }).then([refused('dv2')]);
    spec.given([]).when({ ...start, ineligibleDatasetVersionIds: ['dv1', 'dv2'] }).then([refused('dv1'), refused('dv2')]);
  });

  it('says in the refusal which gate the version is missing, when the caller knows', () => {
    const [event] = runDecider.decide({ ...start, ineligibleDatasetVersionIds: ['dv2'], ineligibilityReasons: { dv2: 'the privacy gate rejected it' } }, runDecider.initialState());
    expect(event).toMatchObject({ type: 'RunRefused', data: { reason: 'dataset version dv2 is not eligible for training: the privacy gate rejected it' } });
  });

  it('needs a dataset version and an experiment name', () => {
    spec.given([]).when({ ...start, datasetVersionIds: [] }).thenThrows('EXPERIMENT.DATASET_REQUIRED');
    spec.given([]).when({ ...start, experimentName: ' ' }).thenThrows('EXPERIMENT.EXPERIMENT_NAME_REQUIRED');
  });

  it('starts a run id once, whatever became of it', () => {
    spec.given([started]).when(start).thenThrows('EXPERIMENT.RUN_EXISTS');
    spec.given([refused('dv2')]).when(start).thenThrows('EXPERIMENT.RUN_EXISTS');
    spec.given([started, completed]).when(start).thenThrows('EXPERIMENT.RUN_EXISTS');
  });

  it('completes a running run with its metrics and artifact', () => {
    spec.given([started]).when(complete).then([completed]);
    spec.given([started]).when({ ...complete, artifactDigest: null }).then([{ ...completed, data: { ...completed.data, artifactDigest: null } }]);
  });

  it('completes only a run that is running', () => {
    spec.given([]).when(complete).thenThrows('EXPERIMENT.RUN_NOT_FOUND');
    spec.given([refused('dv1'), refused('dv2')]).when(complete).thenThrows('EXPERIMENT.RUN_NOT_RUNNING');
    spec.given([started, completed]).when(complete).thenThrows('EXPERIMENT.RUN_NOT_RUNNING');
  });

  it('refuses metrics that are not finite numbers', () => {
    for (const value of [Number.NaN, Number.POSITIVE_INFINITY, '0.9' as unknown as number, null as unknown as number]) {
      spec.given([started]).when({ ...complete, metrics: { accuracy: 0.9, f1: value } }).thenThrows('EXPERIMENT.INVALID_METRIC');
    }
  });

  it('refuses an artifact digest that is not sha256:<64 lower-case hex>', () => {
    for (const artifactDigest of ['ab'.repeat(32), `sha256:${'ab'.repeat(31)}`, `sha256:${'AB'.repeat(32)}`, `md5:${'ab'.repeat(32)}`, '']) {
      spec.given([started]).when({ ...complete, artifactDigest }).thenThrows('EXPERIMENT.INVALID_DIGEST');
    }
  });

  it('folds into a state that says what the run is', () => {
    const fold = (events: Parameters<typeof runDecider.evolve>[1][]) => events.reduce(runDecider.evolve, runDecider.initialState());
    expect(fold([refused('dv1'), refused('dv2')])).toEqual({ status: 'refused', experimentName: 'loans-gbm', refusedDatasetVersionIds: ['dv1', 'dv2'] });
    expect(fold([started, completed])).toEqual({ status: 'finished', experimentName: 'loans-gbm', datasetVersionIds: ['dv1', 'dv2'], artifactDigest: digest });
  });
});
