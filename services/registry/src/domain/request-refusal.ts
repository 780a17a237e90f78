import type { RegistryRequestRefused } from '@mgov/contracts';
import type { CommandMetadata, Decider } from '@mgov/decider';

export type RecordRefusal = {
  readonly type: 'RecordRefusal';
  readonly refusal: RegistryRequestRefused['data'];
  readonly metadata: CommandMetadata;
};

/** Refused requests, one fact each (stream `registry-refusals:<model>`), so the audit trail shows every attempt. */
export const requestRefusalDecider: Decider<RecordRefusal, RegistryRequestRefused, { readonly count: number }> = {
  initialState: () => ({ count: 0 }),
  decide: (command) => [{ type: 'RegistryRequestRefused', data: { ...command.refusal } }],
  evolve: (state) => ({ count: state.count + 1 }),
};
