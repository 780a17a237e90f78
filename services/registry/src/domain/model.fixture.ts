import type { ModelEvent, RunFacts, SubmitCandidate } from './model';
import type { GateJudgement } from './review-gates';

export const at = (id: string, role: string) => ({ actor: { id, role }, now: 1_790_000_000_000, correlationId: 'c' });
export const hexA = 'a1'.repeat(32);
export const hexB = 'b2'.repeat(32);
export const digestA = `sha256:${hexA}`;
export const digestB = `sha256:${hexB}`;
export const POLICY = 'model:loans@v1';

export const finishedRun = (hex = hexA): RunFacts => ({
  status: 'finished', artifacts: [{ path: 'model/model.pkl', sha256: hex, size: 10 }, { path: 'model/requirements.txt', sha256: 'c3'.repeat(32), size: 5 }],
  datasetVersionIds: ['dv1'], dataUnverified: false, unknownInputs: [], metrics: { accuracy: 0.9 },
});

export const submit = (candidateId: string, digest = digestA): SubmitCandidate => ({
  type: 'SubmitCandidate', modelName: 'loans', candidateId, runId: `run-${candidateId}`, artifactDigest: digest, signature: '{"inputs":[]}', source: 'run',
  run: finishedRun(digest.slice(7)), ineligibleDatasets: [], policyId: POLICY, submittedBy: 'ada', metadata: at('ada', 'data-scientist'),
});

export const submitted = (candidateId: string, digest = digestA): ModelEvent[] => [
  { type: 'ModelVersionSubmitted', data: { modelName: 'loans', candidateId, runId: `run-${candidateId}`, artifactDigest: digest, datasetVersionIds: ['dv1'], submittedBy: 'ada' } },
  {
    type: 'CandidateReviewStarted',
    data: { modelName: 'loans', candidateId, signature: '{"inputs":[]}', metrics: { accuracy: 0.9 }, policyVersion: POLICY, artifactPath: 'model/model.pkl', artifactSize: 10, source: 'run' },
  },
];

export const judgement = (gate: GateJudgement['gate'], passed = true): GateJudgement => ({
  gate, passed, findings: [{ check: `${gate}-check`, passed, detail: passed ? 'ok' : 'failed' }], evidence: { gate },
});

export const judged = (candidateId: string, failing: readonly string[] = []): ModelEvent[] => (['security', 'performance', 'bias'] as const).map((gate) => ({
  type: 'ReviewGateJudged',
  data: {
    modelName: 'loans', candidateId, gate, passed: !failing.includes(gate), policyVersion: POLICY,
    findings: [{ check: `${gate}-check`, passed: !failing.includes(gate), detail: failing.includes(gate) ? 'failed' : 'ok' }], evidence: JSON.stringify({ gate }),
  },
}));

export const approved = (candidateId: string, approvedBy = 'grace'): ModelEvent => ({
  type: 'ModelVersionApproved', data: { modelName: 'loans', candidateId, approvedBy, justification: 'reviewed' },
});

export const registered = (candidateId: string, version: number, digest = digestA, approvedBy = ['grace']): ModelEvent => ({
  type: 'ModelVersionRegistered',
  data: {
    modelName: 'loans', version, tag: `loans:${version}`, digest, candidateId, runId: `run-${candidateId}`, datasetVersionIds: ['dv1'], submittedBy: 'ada',
    approvedBy, metrics: { accuracy: 0.9 }, policyVersion: POLICY,
  },
});

/** A candidate submitted and passed by every gate. */
export const reviewed = (candidateId: string, digest = digestA) => [...submitted(candidateId, digest), ...judged(candidateId)];
