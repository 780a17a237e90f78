import type { ModelQuarantined, ModelQuarantineReleased } from '@mgov/contracts';
import { assertNever, type CommandMetadata, type Decider, DomainError } from '@mgov/decider';
import { requireJustification } from './justification';

/** One stream per model version: whether it is quarantined, and how many times it has been. */
export const quarantineStreamId = (modelName: string, modelVersion: number) => `quarantine:${modelName}:${modelVersion}`;

/** The retraining a version's n-th quarantine starts (one per quarantine, never two). */
export const retrainingIdFor = (modelName: string, modelVersion: number, quarantineNumber: number) => `${modelName}:${modelVersion}:${quarantineNumber}`;

/** Roles that may release a quarantine (the HTTP route admits the same ones). */
export const RELEASING_ROLES = ['model-reviewer', 'admin'] as const;

export type QuarantineCommand =
  | {
      readonly type: 'Quarantine'; readonly modelName: string; readonly modelVersion: number; readonly digest: string;
      readonly reason: string; readonly alertIds: readonly string[]; readonly metadata: CommandMetadata;
    }
  | {
      readonly type: 'Release'; readonly caseId: string; readonly justification: unknown;
      /** Who submitted the model version (registry's `ModelVersionRegistered.submittedBy`); null when not known here. */
      readonly submittedBy: string | null;
      readonly metadata: CommandMetadata;
    };

export type QuarantineEvent = ModelQuarantined | ModelQuarantineReleased;

export type QuarantineState =
  | { readonly status: 'none' }
  | { readonly status: 'quarantined' | 'released'; readonly modelName: string; readonly modelVersion: number; readonly digest: string; readonly count: number };

function quarantine(command: Extract<QuarantineCommand, { type: 'Quarantine' }>, state: QuarantineState): QuarantineEvent[] {
  if (state.status === 'quarantined') return [];
  const { modelName, modelVersion, digest, reason, alertIds, metadata } = command;
  return [{ type: 'ModelQuarantined', data: { modelName, modelVersion, digest, reason, alertIds: [...alertIds], quarantinedAt: metadata.now } }];
}

function release(command: Extract<QuarantineCommand, { type: 'Release' }>, state: QuarantineState): QuarantineEvent[] {
  const { actor, now } = command.metadata;
  if (!(RELEASING_ROLES as readonly string[]).includes(actor.role)) {
    throw new DomainError('RETRAINING.RELEASE_FORBIDDEN', `releasing a quarantine needs the model-reviewer role (you act as ${actor.role})`, 403);
  }
  if (state.status !== 'quarantined') throw new DomainError('RETRAINING.NOT_QUARANTINED', 'this model version is not quarantined', 409);
  if (command.submittedBy === null || command.submittedBy === '') {
    throw new DomainError('RETRAINING.SUBMITTER_UNKNOWN', `who submitted ${state.modelName}:${state.modelVersion} is not known yet, so separation of duties cannot be checked; retry once the registry's ModelVersionRegistered (v2) has arrived`, 409);
  }
  if (command.submittedBy === actor.id) {
    throw new DomainError('RETRAINING.SUBMITTER_CANNOT_RELEASE', `${actor.id} submitted ${state.modelName}:${state.modelVersion} and may not release its quarantine; ask another reviewer`, 403);
  }
  const justification = requireJustification(command.justification);
  const { modelName, modelVersion, digest } = state;
  return [{ type: 'ModelQuarantineReleased', data: { modelName, modelVersion, digest, caseId: command.caseId, releasedBy: actor.id, justification, releasedAt: now } }];
}

/** A breach quarantines a version once until a reviewer (never its submitter) releases it. */
export const quarantineDecider: Decider<QuarantineCommand, QuarantineEvent, QuarantineState> = {
  initialState: () => ({ status: 'none' }),
  decide: (command, state) => {
    switch (command.type) {
      case 'Quarantine':
        return quarantine(command, state);
      case 'Release':
        return release(command, state);
      default:
        return assertNever(command);
    }
  },
  evolve: (state, event) => {
    switch (event.type) {
      case 'ModelQuarantined': {
        const { modelName, modelVersion, digest } = event.data;
        return { status: 'quarantined', modelName, modelVersion, digest, count: state.status === 'none' ? 1 : state.count + 1 };
      }
      case 'ModelQuarantineReleased':
        return state.status === 'none' ? state : { ...state, status: 'released' };
      default:
        return assertNever(event);
    }
  },
};
