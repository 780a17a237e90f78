import { deciderSpec } from '@mgov/testing';
import { type ApproveCandidate, modelDecider } from './model';
import { approved, at, digestA, digestB, judged, judgement, POLICY, registered, reviewed, submit, submitted } from './model.fixture';

const approve = (candidateId: string, by = at('grace', 'model-reviewer'), requiredApprovals = 1): ApproveCandidate => ({
  type: 'ApproveCandidate', modelName: 'loans', candidateId, justification: 'reviewed', requiredApprovals, metadata: by,
});
const spec = deciderSpec(modelDecider);

describe('model: candidates', () => {
  it('takes a finished run with traced, eligible data as a candidate, under the policy in force', () => {
    spec.given([]).when(submit('c1')).then(submitted('c1'));
  });

  it('refuses a run that is unknown or not finished', () => {
    for (const status of ['unknown', 'running', 'refused', 'failed', 'killed', 'deleted'] as const) {
      spec.given([]).when({ ...submit('c1'), run: { ...submit('c1').run, status } }).thenThrows('REGISTRY.RUN_NOT_FINISHED');
    }
  });

  it('refuses an artifact that is not among the run\'s artifacts (digest mismatch)', () => {
    spec.given([]).when({ ...submit('c1'), artifactDigest: digestB }).thenThrows('REGISTRY.DIGEST_MISMATCH');
    spec.given([]).when({ ...submit('c1'), run: { ...submit('c1').run, artifacts: [] } }).thenThrows('REGISTRY.DIGEST_MISMATCH');
  });

  it('refuses unverified data and data not eligible for training', () => {
    const run = submit('c1').run;
    spec.given([]).when({ ...submit('c1'), run: { ...run, dataUnverified: true, unknownInputs: ['s3://x/y.csv'] } }).thenThrows('REGISTRY.DATA_UNVERIFIED');
    spec.given([]).when({ ...submit('c1'), run: { ...run, datasetVersionIds: [] } }).thenThrows('REGISTRY.DATA_UNVERIFIED');
    spec.given([]).when({ ...submit('c1'), ineligibleDatasets: [{ datasetVersionId: 'dv1', reason: 'its training eligibility was revoked' }] }).thenThrows('REGISTRY.DATA_NOT_ELIGIBLE');
    spec.given([]).when({ ...submit('c1'), modelName: 'Loans' }).thenThrows('REGISTRY.INVALID_MODEL_NAME');
  });

  it('takes a candidate id once', () => {
    spec.given(submitted('c1')).when(submit('c1')).thenThrows('REGISTRY.CANDIDATE_EXISTS');
  });

  it('records each gate\'s judgement once, under the candidate\'s policy', () => {
    const judge = { type: 'JudgeCandidate' as const, modelName: 'loans', candidateId: 'c1', policyId: POLICY, judgements: [judgement('security'), judgement('performance'), judgement('bias')], metadata: at('ada', 'data-scientist') };
    spec.given(submitted('c1')).when(judge).then(judged('c1'));
    spec.given(reviewed('c1')).when(judge).then([]);
    spec.given(submitted('c1')).when({ ...judge, policyId: 'default@v3' }).thenThrows('REGISTRY.POLICY_MISMATCH');
  });
});

describe('model: review and registration', () => {
  it('registers a candidate that passed every gate as the next version, with its metrics and policy', () => {
    spec.given(reviewed('c1')).when(approve('c1')).then([approved('c1'), registered('c1', 1)]);
    spec.given(reviewed('c1')).when(approve('c1', at('root', 'admin'))).then([approved('c1', 'root'), registered('c1', 1, digestA, ['root'])]);
  });

  it('refuses approval while a gate is pending or after one failed', () => {
    spec.given(submitted('c1')).when(approve('c1')).thenThrows('REGISTRY.REVIEW_PENDING');
    spec.given([...submitted('c1'), ...judged('c1', ['security'])]).when(approve('c1')).thenThrows('REGISTRY.REVIEW_NOT_PASSED');
    spec.given([...submitted('c1'), ...judged('c1', ['bias'])]).when(approve('c1')).thenThrows('REGISTRY.REVIEW_NOT_PASSED');
  });

  it('is approved by reviewers who did not submit it (separation of duties)', () => {
    spec.given(reviewed('c1')).when(approve('c1', at('ada', 'model-reviewer'))).thenThrows('REGISTRY.SEPARATION_OF_DUTIES');
    spec.given(reviewed('c1')).when(approve('c1', at('ada', 'admin'))).thenThrows('REGISTRY.SEPARATION_OF_DUTIES');
    spec.given(reviewed('c1')).when(approve('c1', at('bob', 'data-scientist'))).thenThrows('REGISTRY.FORBIDDEN_ROLE');
  });

  it('needs as many distinct approvals as the policy asks for', () => {
    spec.given(reviewed('c1')).when(approve('c1', at('grace', 'model-reviewer'), 2)).then([approved('c1')]);
    spec.given([...reviewed('c1'), approved('c1')]).when(approve('c1', at('grace', 'model-reviewer'), 2)).thenThrows('REGISTRY.ALREADY_APPROVED_BY');
    spec.given([...reviewed('c1'), approved('c1')]).when(approve('c1', at('alan', 'model-reviewer'), 2))
      .then([approved('c1', 'alan'), registered('c1', 1, digestA, ['grace', 'alan'])]);
  });

  it('rejects with a reason, for good', () => {
    const reject = { type: 'RejectCandidate' as const, modelName: 'loans', candidateId: 'c1', reason: ' overfits the 2024 cohort ', metadata: at('grace', 'model-reviewer') };
    spec.given(reviewed('c1')).when(reject).then([{ type: 'ModelVersionRejected', data: { modelName: 'loans', candidateId: 'c1', rejectedBy: 'grace', reason: 'overfits the 2024 cohort', policyVersion: POLICY } }]);
    spec.given(reviewed('c1')).when({ ...reject, reason: '  ' }).thenThrows('REGISTRY.REASON_REQUIRED');
    const rejected = [...reviewed('c1'), { type: 'ModelVersionRejected' as const, data: { modelName: 'loans', candidateId: 'c1', rejectedBy: 'grace', reason: 'x', policyVersion: POLICY } }];
    spec.given(rejected).when(approve('c1', at('alan', 'model-reviewer'))).thenThrows('REGISTRY.CANDIDATE_REJECTED');
  });

  it('gives unique, increasing tags; a digest is bound to one tag for good', () => {
    const history = [...reviewed('c1'), ...reviewed('c2', digestB), approved('c2'), registered('c2', 1, digestB)];
    spec.given(history).when(approve('c1')).then([approved('c1'), registered('c1', 2)]);
    const same = [...reviewed('c1'), ...reviewed('c2'), approved('c1'), registered('c1', 1)];
    spec.given(same).when(approve('c2')).thenThrows('REGISTRY.DIGEST_ALREADY_REGISTERED');
    spec.given(same).when(submit('c3')).thenThrows('REGISTRY.DIGEST_ALREADY_REGISTERED');
    spec.given(same).when(approve('c1')).thenThrows('REGISTRY.ALREADY_APPROVED');
  });

  it('archives a version as an event; its tag is never reused', () => {
    const history = [...reviewed('c1'), approved('c1'), registered('c1', 1)];
    const archive = { type: 'ArchiveVersion' as const, modelName: 'loans', version: 1, reason: 'superseded', metadata: at('grace', 'model-reviewer') };
    spec.given(history).when(archive).then([{ type: 'ModelVersionArchived', data: { modelName: 'loans', version: 1, tag: 'loans:1', digest: digestA, archivedBy: 'grace', reason: 'superseded' } }]);
    spec.given(history).when({ ...archive, version: 2 }).thenThrows('REGISTRY.VERSION_NOT_FOUND');
    const archived = [...history, { type: 'ModelVersionArchived' as const, data: { modelName: 'loans', version: 1, tag: 'loans:1', digest: digestA, archivedBy: 'grace', reason: 'x' } }];
    spec.given(archived).when(archive).then([]);
    spec.given([...archived, ...reviewed('c2', digestB)]).when(approve('c2')).then([approved('c2'), registered('c2', 2, digestB)]);
  });

  it('registers a model name once, before any candidate', () => {
    const create = { type: 'CreateRegisteredModel' as const, modelName: 'loans', description: 'scoring', metadata: at('ada', 'data-scientist') };
    spec.given([]).when(create).then([{ type: 'RegisteredModelCreated', data: { modelName: 'loans', description: 'scoring', createdBy: 'ada' } }]);
    spec.given([{ type: 'RegisteredModelCreated', data: { modelName: 'loans', description: '', createdBy: 'ada' } }]).when(create).thenThrows('REGISTRY.MODEL_EXISTS');
    spec.given(submitted('c1')).when(create).thenThrows('REGISTRY.MODEL_EXISTS');
    spec.given([]).when({ ...create, modelName: 'Loans' }).thenThrows('REGISTRY.INVALID_MODEL_NAME');
  });

  it('points aliases at registered versions only', () => {
    const history = [...reviewed('c1'), approved('c1'), registered('c1', 1)];
    const setAlias = { type: 'SetAlias' as const, modelName: 'loans', alias: 'champion', version: 1, metadata: at('ada', 'ml-engineer') };
    spec.given(history).when(setAlias).then([{ type: 'ModelAliasSet', data: { modelName: 'loans', alias: 'champion', version: 1, setBy: 'ada' } }]);
    spec.given(reviewed('c1')).when(setAlias).thenThrows('REGISTRY.VERSION_NOT_FOUND');
    for (const alias of ['latest', 'v2', 'bad alias', '']) spec.given(history).when({ ...setAlias, alias }).thenThrows('REGISTRY.INVALID_ALIAS');
  });

  it('keeps every version bound to its digest, and the next number', () => {
    const history = [...reviewed('c1'), approved('c1'), registered('c1', 1), ...reviewed('c2', digestB), approved('c2'), registered('c2', 2, digestB)];
    const state = history.reduce(modelDecider.evolve, modelDecider.initialState());
    expect(state.digestByVersion).toEqual({ 1: digestA, 2: digestB });
    expect(state.nextVersion).toBe(3);
    expect(state.candidates.c2).toMatchObject({ status: 'registered', version: 2, tag: 'loans:2', approvals: ['grace'], policyVersion: POLICY });
  });
});
