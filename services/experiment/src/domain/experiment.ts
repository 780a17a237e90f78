import { createHash } from 'node:crypto';
import type { ExperimentCreated } from '@mgov/contracts';
import { assertNever, type CommandMetadata, type Decider, DomainError } from '@mgov/decider';
import { LIMITS } from './tracking-limits';

export type CreateExperiment = {
  readonly type: 'CreateExperiment';
  readonly experimentId: string;
  readonly name: string;
  readonly artifactLocation: string;
  readonly tags: Readonly<Record<string, string>>;
  /** Creating an existing experiment is a no-op instead of an error (the native API's get-or-create). */
  readonly ifMissing?: boolean;
  readonly metadata: CommandMetadata;
};

export type ExperimentCommand = CreateExperiment;
export type ExperimentEvent = ExperimentCreated;
export type ExperimentState = { readonly status: 'unknown' } | { readonly status: 'active'; readonly name: string };

/**
 * An experiment's id is derived from its name (a decimal string, as MLflow's are), so the stream
 * `experiment:<id>` is the name's claim: two concurrent creations of one name conflict on append.
 */
export function experimentIdFor(name: string): string {
  if (name === 'Default') return '0';
  return BigInt(`0x${createHash('sha256').update(name).digest('hex').slice(0, 13)}`).toString();
}

function create(command: CreateExperiment, state: ExperimentState): ExperimentEvent[] {
  const name = command.name;
  if (typeof name !== 'string' || name.trim() === '') {
    throw new DomainError('EXPERIMENT.INVALID_PARAMETER_VALUE', "an experiment needs a non-empty 'name'", 400);
  }
  if (name.length > LIMITS.experimentNameLength) {
    throw new DomainError('EXPERIMENT.INVALID_PARAMETER_VALUE', `experiment name is ${name.length} characters; the limit is ${LIMITS.experimentNameLength}`, 400);
  }
  if (state.status === 'active') {
    if (command.ifMissing) return [];
    throw new DomainError('EXPERIMENT.EXPERIMENT_EXISTS', `experiment '${name}' already exists (id ${command.experimentId}); use it, or pick another name`, 400);
  }
  return [{ type: 'ExperimentCreated', data: { experimentId: command.experimentId, name, artifactLocation: command.artifactLocation, tags: { ...command.tags } } }];
}

export const experimentDecider: Decider<ExperimentCommand, ExperimentEvent, ExperimentState> = {
  initialState: () => ({ status: 'unknown' }),
  decide: (command, state) => {
    switch (command.type) {
      case 'CreateExperiment':
        return create(command, state);
      default:
        return assertNever(command.type);
    }
  },
  evolve: (_state, event) => ({ status: 'active', name: event.data.name }),
};
