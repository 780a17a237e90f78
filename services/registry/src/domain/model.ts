import type { ModelVersionApproved, ModelVersionRegistered, ModelVersionSubmitted } from '@mgov/contracts';
import { assertNever, type CommandMetadata, type Decider, DomainError } from '@mgov/decider';
import { validateModelName } from './model-name';

export const REVIEWER_ROLES: readonly string[] = ['model-reviewer', 'admin'];

export type RunStatus = 'finished' | 'unknown' | 'running' | 'refused';

export type SubmitCandidate = {
  readonly type: 'SubmitCandidate';
  readonly modelName: string;
  readonly candidateId: string;
  readonly runId: string;
  readonly artifactDigest: string;
  readonly datasetVersionIds: readonly string[];
  /** The run as the caller's read model of experiment events sees it. */
  readonly run: { readonly status: RunStatus; readonly artifactDigest: string | null };
  readonly metadata: CommandMetadata;
};

export type ApproveCandidate = {
  readonly type: 'ApproveCandidate';
  readonly modelName: string;
  readonly candidateId: string;
  readonly justification: string;
  readonly metadata: CommandMetadata;
};

export type ModelCommand = SubmitCandidate | ApproveCandidate;

export type ModelEvent = ModelVersionSubmitted | ModelVersionApproved | ModelVersionRegistered;

type Submission = ModelVersionSubmitted['data'];

/** 'approved' only lasts between the two facts one approval decides together. */
export type CandidateState =
  | ({ readonly status: 'in-review' } & Submission)
  | ({ readonly status: 'approved'; readonly approvedBy: string } & Submission)
  | ({ readonly status: 'registered'; readonly approvedBy: string; readonly version: number; readonly tag: string } & Submission);

export type ModelState = {
  readonly candidates: Readonly<Record<string, CandidateState>>;
  /** Every version ever registered under this model, and the digest its tag is bound to for good. */
  readonly digestByVersion: Readonly<Record<number, string>>;
  readonly nextVersion: number;
};

function versionHolding(state: ModelState, digest: string): number | undefined {
  const found = Object.entries(state.digestByVersion).find(([, registered]) => registered === digest);
  return found ? Number(found[0]) : undefined;
}

function refuseRegisteredDigest(state: ModelState, modelName: string, digest: string): void {
  const version = versionHolding(state, digest);
  if (version !== undefined) {
    throw new DomainError('REGISTRY.DIGEST_ALREADY_REGISTERED', `${digest} is already registered as ${modelName}:${version}; use that tag`, 409);
  }
}

function submitCandidate(command: SubmitCandidate, state: ModelState): ModelEvent[] {
  validateModelName(command.modelName);
  const { modelName, candidateId, runId, artifactDigest, run } = command;
  if (state.candidates[candidateId]) {
    throw new DomainError('REGISTRY.CANDIDATE_EXISTS', `candidate ${candidateId} was already submitted; submit under a new candidate id`);
  }
  if (run.status !== 'finished') {
    throw new DomainError('REGISTRY.RUN_NOT_FINISHED', `run ${runId} is ${run.status}, not finished; only a completed run can produce a candidate`, 422);
  }
  if (run.artifactDigest !== artifactDigest) {
    const logged = run.artifactDigest ?? 'no artifact';
    throw new DomainError('REGISTRY.DIGEST_MISMATCH', `run ${runId} logged ${logged}, not ${artifactDigest}; submit the artifact the run produced`, 422);
  }
  if (command.datasetVersionIds.length === 0) {
    throw new DomainError('REGISTRY.DATA_UNVERIFIED', `run ${runId} names no dataset version, so its training data cannot be traced`, 422);
  }
  refuseRegisteredDigest(state, modelName, artifactDigest);
  const submittedBy = command.metadata.actor.id;
  const datasetVersionIds = [...command.datasetVersionIds];
  return [{ type: 'ModelVersionSubmitted', data: { modelName, candidateId, runId, artifactDigest, datasetVersionIds, submittedBy } }];
}

function approveCandidate(command: ApproveCandidate, state: ModelState): ModelEvent[] {
  const { modelName, candidateId, justification, metadata } = command;
  const candidate = state.candidates[candidateId];
  if (!candidate) {
    throw new DomainError('REGISTRY.CANDIDATE_NOT_FOUND', `candidate ${candidateId} was never submitted for ${modelName}`, 404);
  }
  if (candidate.status !== 'in-review') {
    throw new DomainError('REGISTRY.ALREADY_APPROVED', `candidate ${candidateId} was already approved by ${candidate.approvedBy}`, 409);
  }
  if (!REVIEWER_ROLES.includes(metadata.actor.role)) {
    throw new DomainError('REGISTRY.FORBIDDEN_ROLE', `role ${metadata.actor.role} may not approve; ask a ${REVIEWER_ROLES.join(' or ')}`, 403);
  }
  if (metadata.actor.id === candidate.submittedBy) {
    throw new DomainError('REGISTRY.SEPARATION_OF_DUTIES', `${metadata.actor.id} submitted candidate ${candidateId}; someone else must approve it`, 403);
  }
  refuseRegisteredDigest(state, modelName, candidate.artifactDigest);
  const version = state.nextVersion;
  const { runId, artifactDigest: digest, datasetVersionIds } = candidate;
  return [
    { type: 'ModelVersionApproved', data: { modelName, candidateId, approvedBy: metadata.actor.id, justification } },
    {
      type: 'ModelVersionRegistered',
      data: { modelName, version, tag: `${modelName}:${version}`, digest, candidateId, runId, datasetVersionIds: [...datasetVersionIds],
        submittedBy: candidate.submittedBy, approvedBy: [metadata.actor.id], metrics: {}, policyVersion: '' },
    },
  ];
}

function evolve(state: ModelState, event: ModelEvent): ModelState {
  const candidate = state.candidates[event.data.candidateId];
  switch (event.type) {
    case 'ModelVersionSubmitted':
      return { ...state, candidates: { ...state.candidates, [event.data.candidateId]: { status: 'in-review', ...event.data } } };
    case 'ModelVersionApproved': {
      if (candidate?.status !== 'in-review') return state;
      const approved: CandidateState = { ...candidate, status: 'approved', approvedBy: event.data.approvedBy };
      return { ...state, candidates: { ...state.candidates, [candidate.candidateId]: approved } };
    }
    case 'ModelVersionRegistered': {
      const { version, tag, digest } = event.data;
      const digestByVersion = { ...state.digestByVersion, [version]: digest };
      const nextVersion = Math.max(state.nextVersion, version + 1);
      if (candidate?.status !== 'approved') return { ...state, digestByVersion, nextVersion };
      const registered: CandidateState = { ...candidate, status: 'registered', version, tag };
      return { candidates: { ...state.candidates, [candidate.candidateId]: registered }, digestByVersion, nextVersion };
    }
    default:
      return assertNever(event);
  }
}

export const modelDecider: Decider<ModelCommand, ModelEvent, ModelState> = {
  initialState: () => ({ candidates: {}, digestByVersion: {}, nextVersion: 1 }),
  decide: (command, state) => {
    switch (command.type) {
      case 'SubmitCandidate':
        return submitCandidate(command, state);
      case 'ApproveCandidate':
        return approveCandidate(command, state);
      default:
        return assertNever(command);
    }
  },
  evolve,
};
