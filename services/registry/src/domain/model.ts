import type {
  CandidateReviewStarted, RegisteredModelCreated, ModelAliasDeleted, ModelAliasSet, ModelVersionApproved, ModelVersionArchived, ModelVersionRegistered, ModelVersionRejected, ModelVersionSubmitted, ReviewGateJudged,
} from '@mgov/contracts';
import { assertNever, type CommandMetadata, type Decider, DomainError } from '@mgov/decider';
import { validateModelName } from './model-name';
import type { GateJudgement, GateName } from './review-gates';

export const REVIEWER_ROLES: readonly string[] = ['model-reviewer', 'admin'];
export const GATES: readonly GateName[] = ['security', 'performance', 'bias'];

export type RunStatus = 'finished' | 'unknown' | 'running' | 'refused' | 'failed' | 'killed' | 'deleted';

/** The run as registry's read model of experiment's RunCompleted (v2) sees it. */
export interface RunFacts {
  readonly status: RunStatus;
  readonly artifacts: ReadonlyArray<{ readonly path: string; readonly sha256: string; readonly size: number }>;
  readonly datasetVersionIds: readonly string[];
  readonly dataUnverified: boolean;
  readonly unknownInputs: readonly string[];
  readonly metrics: Readonly<Record<string, number>>;
}

export type SubmitCandidate = {
  readonly type: 'SubmitCandidate';
  readonly modelName: string;
  readonly candidateId: string;
  readonly runId: string;
  /** `sha256:<64 hex>` of the model artifact: it must be one of the run's artifacts. */
  readonly artifactDigest: string;
  readonly signature: string;
  readonly source: 'run' | 'mlflow' | 'retraining';
  readonly run: RunFacts;
  /** The run's dataset versions lineage has not made (or no longer holds) eligible for training, with why. */
  readonly ineligibleDatasets: ReadonlyArray<{ readonly datasetVersionId: string; readonly reason: string }>;
  readonly policyId: string;
  /** Who submits: the caller, or for a retraining the person who approved it. */
  readonly submittedBy: string;
  readonly metadata: CommandMetadata;
};

export type JudgeCandidate = {
  readonly type: 'JudgeCandidate';
  readonly modelName: string;
  readonly candidateId: string;
  readonly policyId: string;
  readonly judgements: readonly GateJudgement[];
  readonly metadata: CommandMetadata;
};

export type ApproveCandidate = {
  readonly type: 'ApproveCandidate';
  readonly modelName: string;
  readonly candidateId: string;
  readonly justification: string;
  /** From the policy the candidate was submitted under. */
  readonly requiredApprovals: number;
  readonly metadata: CommandMetadata;
};

export type RejectCandidate = {
  readonly type: 'RejectCandidate';
  readonly modelName: string;
  readonly candidateId: string;
  readonly reason: string;
  readonly metadata: CommandMetadata;
};

export type ArchiveVersion = {
  readonly type: 'ArchiveVersion';
  readonly modelName: string;
  readonly version: number;
  readonly reason: string;
  readonly metadata: CommandMetadata;
};

export type SetAlias = {
  readonly type: 'SetAlias';
  readonly modelName: string;
  readonly alias: string;
  readonly version: number;
  readonly metadata: CommandMetadata;
};

export type DeleteAlias = { readonly type: 'DeleteAlias'; readonly modelName: string; readonly alias: string; readonly metadata: CommandMetadata };

export type CreateRegisteredModel = { readonly type: 'CreateRegisteredModel'; readonly modelName: string; readonly description: string; readonly metadata: CommandMetadata };

export type ModelCommand = CreateRegisteredModel | SubmitCandidate | JudgeCandidate | ApproveCandidate | RejectCandidate | ArchiveVersion | SetAlias | DeleteAlias;

export type ModelEvent = ModelVersionSubmitted | CandidateReviewStarted | ReviewGateJudged | ModelVersionApproved | ModelVersionRegistered | ModelVersionRejected | ModelVersionArchived
  | ModelAliasSet | ModelAliasDeleted | RegisteredModelCreated;

type Submission = ModelVersionSubmitted['data'] & Omit<CandidateReviewStarted['data'], 'modelName' | 'candidateId'>;
type Review = { readonly gates: Readonly<Partial<Record<string, boolean>>>; readonly approvals: readonly string[] };

export type CandidateState =
  | ({ readonly status: 'in-review' } & Submission & Review)
  | ({ readonly status: 'rejected'; readonly rejectedBy: string; readonly reason: string } & Submission & Review)
  | ({ readonly status: 'registered'; readonly version: number; readonly tag: string } & Submission & Review);

export type ModelState = {
  readonly candidates: Readonly<Record<string, CandidateState>>;
  /** Every version ever registered under this model, and the digest its tag is bound to for good. */
  readonly digestByVersion: Readonly<Record<number, string>>;
  readonly archived: readonly number[];
  readonly aliases: Readonly<Record<string, number>>;
  readonly nextVersion: number;
  /** Created by name (MLflow) before any candidate. */
  readonly created: boolean;
};

/** MLflow's alias rule: letters, digits, '_' and '-', not `latest` and not `v<digits>` (those name versions). */
const ALIAS = /^[A-Za-z0-9_-]{1,255}$/;

type Status = ConstructorParameters<typeof DomainError>[2];
const fail = (code: string, message: string, status: Status = 422) => new DomainError(code, message, status);

function refuseRegisteredDigest(state: ModelState, modelName: string, digest: string): void {
  const found = Object.entries(state.digestByVersion).find(([, registered]) => registered === digest);
  if (found) throw fail('REGISTRY.DIGEST_ALREADY_REGISTERED', `${digest} is already registered as ${modelName}:${found[0]}; use that tag`, 409);
}

function submitCandidate(command: SubmitCandidate, state: ModelState): ModelEvent[] {
  validateModelName(command.modelName);
  const { modelName, candidateId, runId, artifactDigest, run } = command;
  if (state.candidates[candidateId]) throw fail('REGISTRY.CANDIDATE_EXISTS', `candidate ${candidateId} was already submitted; submit under a new candidate id`, 409);
  if (run.status !== 'finished') {
    throw fail('REGISTRY.RUN_NOT_FINISHED', `run ${runId} is ${run.status}, not finished; only a completed run can produce a candidate`);
  }
  const artifact = run.artifacts.find((a) => `sha256:${a.sha256}` === artifactDigest);
  if (!artifact) {
    const logged = run.artifacts.map((a) => `${a.path} (sha256:${a.sha256.slice(0, 12)}…)`).join(', ') || 'no artifact';
    throw fail('REGISTRY.DIGEST_MISMATCH', `run ${runId} logged ${logged}, not ${artifactDigest}; submit the artifact the run produced`);
  }
  if (run.dataUnverified || run.datasetVersionIds.length === 0) {
    const unknown = run.unknownInputs.length > 0 ? ` (unknown inputs: ${run.unknownInputs.join(', ')})` : '';
    throw fail('REGISTRY.DATA_UNVERIFIED', `run ${runId} trained on data MGov cannot trace${unknown}; train on registered, eligible dataset versions`);
  }
  if (command.ineligibleDatasets.length > 0) {
    const why = command.ineligibleDatasets.map((d) => `${d.datasetVersionId}: ${d.reason}`).join('; ');
    throw fail('REGISTRY.DATA_NOT_ELIGIBLE', `run ${runId} used dataset versions not eligible for training (${why})`);
  }
  refuseRegisteredDigest(state, modelName, artifactDigest);
  return [
    { type: 'ModelVersionSubmitted', data: { modelName, candidateId, runId, artifactDigest, datasetVersionIds: [...run.datasetVersionIds], submittedBy: command.submittedBy } },
    {
      type: 'CandidateReviewStarted',
      data: {
        modelName, candidateId, signature: command.signature, metrics: { ...run.metrics }, policyVersion: command.policyId,
        artifactPath: artifact.path, artifactSize: artifact.size, source: command.source,
      },
    },
  ];
}

function inReview(state: ModelState, modelName: string, candidateId: string): Extract<CandidateState, { status: 'in-review' }> {
  const candidate = state.candidates[candidateId];
  if (!candidate) throw fail('REGISTRY.CANDIDATE_NOT_FOUND', `candidate ${candidateId} was never submitted for ${modelName}`, 404);
  if (candidate.status === 'rejected') throw fail('REGISTRY.CANDIDATE_REJECTED', `candidate ${candidateId} was rejected by ${candidate.rejectedBy}: ${candidate.reason}`, 409);
  if (candidate.status === 'registered') throw fail('REGISTRY.ALREADY_APPROVED', `candidate ${candidateId} is already registered as ${candidate.tag}`, 409);
  return candidate;
}

function judgeCandidate(command: JudgeCandidate, state: ModelState): ModelEvent[] {
  const { modelName, candidateId, policyId } = command;
  const candidate = inReview(state, modelName, candidateId);
  if (candidate.policyVersion !== policyId) {
    throw fail('REGISTRY.POLICY_MISMATCH', `candidate ${candidateId} is judged under ${candidate.policyVersion}, not ${policyId}`, 409);
  }
  return command.judgements.filter((j) => candidate.gates[j.gate] === undefined).map((j) => ({
    type: 'ReviewGateJudged',
    data: {
      modelName, candidateId, gate: j.gate, passed: j.passed, policyVersion: policyId,
      findings: j.findings.map((f) => ({ ...f })), evidence: JSON.stringify(j.evidence),
    },
  }));
}

function requireReviewer(metadata: CommandMetadata, action: string): void {
  if (!REVIEWER_ROLES.includes(metadata.actor.role)) {
    throw fail('REGISTRY.FORBIDDEN_ROLE', `role ${metadata.actor.role} may not ${action}; ask a ${REVIEWER_ROLES.join(' or ')}`, 403);
  }
}

function approveCandidate(command: ApproveCandidate, state: ModelState): ModelEvent[] {
  const { modelName, candidateId, justification, metadata } = command;
  const candidate = inReview(state, modelName, candidateId);
  requireReviewer(metadata, 'approve');
  const reviewer = metadata.actor.id;
  if (reviewer === candidate.submittedBy) {
    throw fail('REGISTRY.SEPARATION_OF_DUTIES', `${reviewer} submitted candidate ${candidateId}; someone else must approve it`, 403);
  }
  const failed = GATES.filter((gate) => candidate.gates[gate] === false);
  if (failed.length > 0) throw fail('REGISTRY.REVIEW_NOT_PASSED', `candidate ${candidateId} failed the ${failed.join(' and ')} gate(s) under ${candidate.policyVersion}; it cannot be approved, reject it`);
  const pending = GATES.filter((gate) => candidate.gates[gate] === undefined);
  if (pending.length > 0) throw fail('REGISTRY.REVIEW_PENDING', `candidate ${candidateId} has not been judged by the ${pending.join(', ')} gate(s) yet; retry shortly`, 409);
  if (candidate.approvals.includes(reviewer)) {
    throw fail('REGISTRY.ALREADY_APPROVED_BY', `${reviewer} already approved candidate ${candidateId}; another reviewer must add the next approval`, 409);
  }
  refuseRegisteredDigest(state, modelName, candidate.artifactDigest);
  const approved: ModelEvent = { type: 'ModelVersionApproved', data: { modelName, candidateId, approvedBy: reviewer, justification } };
  const approvedBy = [...candidate.approvals, reviewer];
  if (approvedBy.length < command.requiredApprovals) return [approved];
  const version = state.nextVersion;
  const { runId, artifactDigest: digest, datasetVersionIds, submittedBy, metrics, policyVersion } = candidate;
  return [approved, {
    type: 'ModelVersionRegistered',
    data: {
      modelName, version, tag: `${modelName}:${version}`, digest, candidateId, runId, datasetVersionIds: [...datasetVersionIds],
      submittedBy, approvedBy, metrics: { ...metrics }, policyVersion,
    },
  }];
}

function rejectCandidate(command: RejectCandidate, state: ModelState): ModelEvent[] {
  const { modelName, candidateId, reason, metadata } = command;
  const candidate = inReview(state, modelName, candidateId);
  requireReviewer(metadata, 'reject');
  if (!reason?.trim()) throw fail('REGISTRY.REASON_REQUIRED', 'a rejection records its reason: give one', 400);
  return [{ type: 'ModelVersionRejected', data: { modelName, candidateId, rejectedBy: metadata.actor.id, reason: reason.trim(), policyVersion: candidate.policyVersion } }];
}

function archiveVersion(command: ArchiveVersion, state: ModelState): ModelEvent[] {
  const { modelName, version, reason, metadata } = command;
  const digest = state.digestByVersion[version];
  if (!digest) throw fail('REGISTRY.VERSION_NOT_FOUND', `${modelName}:${version} is not in the registry`, 404);
  if (state.archived.includes(version)) return [];
  requireReviewer(metadata, 'archive');
  return [{ type: 'ModelVersionArchived', data: { modelName, version, tag: `${modelName}:${version}`, digest, archivedBy: metadata.actor.id, reason: reason ?? '' } }];
}

function createRegisteredModel(command: CreateRegisteredModel, state: ModelState): ModelEvent[] {
  validateModelName(command.modelName);
  if (state.created || Object.keys(state.candidates).length > 0) {
    throw fail('REGISTRY.MODEL_EXISTS', `Registered Model (name=${command.modelName}) already exists.`, 409);
  }
  return [{ type: 'RegisteredModelCreated', data: { modelName: command.modelName, description: command.description ?? '', createdBy: command.metadata.actor.id } }];
}

function setAlias(command: SetAlias, state: ModelState): ModelEvent[] {
  const { modelName, alias, version, metadata } = command;
  if (!ALIAS.test(alias ?? '') || /^latest$/i.test(alias) || /^v\d+$/i.test(alias)) {
    throw fail('REGISTRY.INVALID_ALIAS', `alias ${JSON.stringify(alias)} is invalid: use letters, digits, '_' and '-', not "latest" or v<number>`, 400);
  }
  if (!state.digestByVersion[version]) throw fail('REGISTRY.VERSION_NOT_FOUND', `${modelName}:${version} is not in the registry; only approved versions carry aliases`, 404);
  if (state.aliases[alias] === version) return [];
  return [{ type: 'ModelAliasSet', data: { modelName, alias, version, setBy: metadata.actor.id } }];
}

function deleteAlias(command: DeleteAlias, state: ModelState): ModelEvent[] {
  if (state.aliases[command.alias] === undefined) return [];
  return [{ type: 'ModelAliasDeleted', data: { modelName: command.modelName, alias: command.alias, deletedBy: command.metadata.actor.id } }];
}

function withCandidate(state: ModelState, candidate: CandidateState): ModelState {
  return { ...state, candidates: { ...state.candidates, [candidate.candidateId]: candidate } };
}

function evolve(state: ModelState, event: ModelEvent): ModelState {
  switch (event.type) {
    case 'ModelVersionSubmitted':
      // A candidate submitted before reviews started (v1 history) has no policy: it can never pass the gates.
      return withCandidate(state, {
        status: 'in-review', ...event.data, signature: '', metrics: {}, policyVersion: '', artifactPath: '', artifactSize: 0, source: 'run', gates: {}, approvals: [],
      });
    case 'CandidateReviewStarted': {
      const candidate = state.candidates[event.data.candidateId];
      const { signature, metrics, policyVersion, artifactPath, artifactSize, source } = event.data;
      return candidate ? withCandidate(state, { ...candidate, signature, metrics, policyVersion, artifactPath, artifactSize, source }) : state;
    }
    case 'ReviewGateJudged': {
      const candidate = state.candidates[event.data.candidateId];
      return candidate ? withCandidate(state, { ...candidate, gates: { ...candidate.gates, [event.data.gate]: event.data.passed } }) : state;
    }
    case 'ModelVersionApproved': {
      const candidate = state.candidates[event.data.candidateId];
      return candidate ? withCandidate(state, { ...candidate, approvals: [...candidate.approvals, event.data.approvedBy] }) : state;
    }
    case 'ModelVersionRejected': {
      const candidate = state.candidates[event.data.candidateId];
      return candidate ? withCandidate(state, { ...candidate, status: 'rejected', rejectedBy: event.data.rejectedBy, reason: event.data.reason }) : state;
    }
    case 'ModelVersionRegistered': {
      const { version, tag, digest } = event.data;
      const next = { ...state, digestByVersion: { ...state.digestByVersion, [version]: digest }, nextVersion: Math.max(state.nextVersion, version + 1) };
      const candidate = state.candidates[event.data.candidateId];
      return candidate ? withCandidate(next, { ...candidate, status: 'registered', version, tag }) : next;
    }
    case 'ModelVersionArchived':
      return { ...state, archived: [...state.archived, event.data.version] };
    case 'RegisteredModelCreated':
      return { ...state, created: true };
    case 'ModelAliasSet':
      return { ...state, aliases: { ...state.aliases, [event.data.alias]: event.data.version } };
    case 'ModelAliasDeleted': {
      const aliases = Object.fromEntries(Object.entries(state.aliases).filter(([alias]) => alias !== event.data.alias));
      return { ...state, aliases };
    }
    default:
      return assertNever(event);
  }
}

export const modelDecider: Decider<ModelCommand, ModelEvent, ModelState> = {
  initialState: () => ({ candidates: {}, digestByVersion: {}, archived: [], aliases: {}, nextVersion: 1, created: false }),
  decide: (command, state) => {
    switch (command.type) {
      case 'CreateRegisteredModel':
        return createRegisteredModel(command, state);
      case 'SubmitCandidate':
        return submitCandidate(command, state);
      case 'JudgeCandidate':
        return judgeCandidate(command, state);
      case 'ApproveCandidate':
        return approveCandidate(command, state);
      case 'RejectCandidate':
        return rejectCandidate(command, state);
      case 'ArchiveVersion':
        return archiveVersion(command, state);
      case 'SetAlias':
        return setAlias(command, state);
      case 'DeleteAlias':
        return deleteAlias(command, state);
      default:
        return assertNever(command);
    }
  },
  evolve,
};
