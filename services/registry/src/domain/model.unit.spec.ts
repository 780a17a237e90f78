import { deciderSpec } from '@mgov/testing';
import type { ModelVersionApproved, ModelVersionRegistered, ModelVersionSubmitted } from '@mgov/contracts';
import { type ApproveCandidate, modelDecider, type SubmitCandidate } from './model';

const at = (id: string, role: string) => ({ actor: { id, role }, now: 1_790_000_000_000, correlationId: 'c' });
const digestA = `sha256:${'a1'.repeat(32)}`;
const digestB = `sha256:${'b2'.repeat(32)}`;

const submit = (candidateId: string, digest: string): SubmitCandidate => ({
  type: 'SubmitCandidate', modelName: 'loans', candidateId, runId: `run-${candidateId}`, artifactDigest: digest,
  datasetVersionIds: ['dv1'], run: { status: 'finished', artifactDigest: digest }, metadata: at('ada', 'data-scientist'),
});
const approve = (candidateId: string, by = at('grace', 'model-reviewer')): ApproveCandidate => ({
  type: 'ApproveCandidate', modelName: 'loans', candidateId, justification: 'bias, security and performance reviews passed', metadata: by,
});
const submitted = (candidateId: string, digest: string): ModelVersionSubmitted => ({
  type: 'ModelVersionSubmitted',
  data: { modelName: 'loans', candidateId, runId: `run-${candidateId}`, artifactDigest: digest, datasetVersionIds: ['dv1'], submittedBy: 'ada' },
});
const approved = (candidateId: string, approvedBy = 'grace'): ModelVersionApproved => ({
  type: 'ModelVersionApproved', data: { modelName: 'loans', candidateId, approvedBy, justification: 'bias, security and performance reviews passed' },
});
const registered = (candidateId: string, version: number, digest: string, approvedBy = 'grace'): ModelVersionRegistered => ({
  type: 'ModelVersionRegistered',
  data: { modelName: 'loans', version, tag: `loans:${version}`, digest, candidateId, runId: `run-${candidateId}`, datasetVersionIds: ['dv1'], submittedBy: 'ada', approvedBy: [approvedBy], metrics: {}, policyVersion: '' },
});
const spec = deciderSpec(modelDecider);

describe('model', () => {
  it('takes a finished run with traced data as a candidate, submitted by the caller', () => {
    spec.given([]).when(submit('c1', digestA)).then([submitted('c1', digestA)]);
  });

  it('refuses a candidate whose run or name cannot be trusted', () => {
    for (const status of ['unknown', 'running', 'refused'] as const) {
      spec.given([]).when({ ...submit('c1', digestA), run: { status, artifactDigest: null } }).thenThrows('REGISTRY.RUN_NOT_FINISHED');
    }
    spec.given([]).when({ ...submit('c1', digestA), run: { status: 'finished', artifactDigest: digestB } }).thenThrows('REGISTRY.DIGEST_MISMATCH');
    spec.given([]).when({ ...submit('c1', digestA), run: { status: 'finished', artifactDigest: null } }).thenThrows('REGISTRY.DIGEST_MISMATCH');
    spec.given([]).when({ ...submit('c1', digestA), datasetVersionIds: [] }).thenThrows('REGISTRY.DATA_UNVERIFIED');
    spec.given([]).when({ ...submit('c1', digestA), modelName: 'Loans' }).thenThrows('REGISTRY.INVALID_MODEL_NAME');
  });

  it('takes a candidate id once', () => {
    spec.given([submitted('c1', digestA)]).when(submit('c1', digestA)).thenThrows('REGISTRY.CANDIDATE_EXISTS');
  });

  it('registers an approved candidate as the next version, tagged with its digest', () => {
    spec.given([submitted('c1', digestA)]).when(approve('c1')).then([approved('c1'), registered('c1', 1, digestA)]);
    spec.given([submitted('c1', digestA)]).when(approve('c1', at('root', 'admin'))).then([approved('c1', 'root'), registered('c1', 1, digestA, 'root')]);
  });

  it('gives unique, increasing tags across approvals', () => {
    const history = [submitted('c1', digestA), submitted('c2', digestB), approved('c2'), registered('c2', 1, digestB)];
    spec.given(history).when(approve('c1')).then([approved('c1'), registered('c1', 2, digestA)]);
  });

  it('binds a digest to one tag: the same artifact is not registered twice', () => {
    const history = [submitted('c1', digestA), submitted('c2', digestA), approved('c1'), registered('c1', 1, digestA)];
    spec.given(history).when(approve('c2')).thenThrows('REGISTRY.DIGEST_ALREADY_REGISTERED');
    spec.given(history).when(submit('c3', digestA)).thenThrows('REGISTRY.DIGEST_ALREADY_REGISTERED');
  });

  it('approves only a submitted candidate, once', () => {
    spec.given([]).when(approve('c1')).thenThrows('REGISTRY.CANDIDATE_NOT_FOUND');
    spec.given([submitted('c1', digestA), approved('c1'), registered('c1', 1, digestA)]).when(approve('c1')).thenThrows('REGISTRY.ALREADY_APPROVED');
  });

  it('is approved by a reviewer who did not submit it', () => {
    spec.given([submitted('c1', digestA)]).when(approve('c1', at('ada', 'model-reviewer'))).thenThrows('REGISTRY.SEPARATION_OF_DUTIES');
    spec.given([submitted('c1', digestA)]).when(approve('c1', at('ada', 'admin'))).thenThrows('REGISTRY.SEPARATION_OF_DUTIES');
    spec.given([submitted('c1', digestA)]).when(approve('c1', at('bob', 'data-scientist'))).thenThrows('REGISTRY.FORBIDDEN_ROLE');
  });

  it('keeps every version bound to its digest, and the next number', () => {
    const history = [submitted('c1', digestA), approved('c1'), registered('c1', 1, digestA), submitted('c2', digestB), approved('c2'), registered('c2', 2, digestB)];
    const state = history.reduce(modelDecider.evolve, modelDecider.initialState());
    expect(state.digestByVersion).toEqual({ 1: digestA, 2: digestB });
    expect(state.nextVersion).toBe(3);
    expect(state.candidates.c2).toMatchObject({ status: 'registered', version: 2, tag: 'loans:2', approvedBy: 'grace' });
  });
});
