import type { SourceRegistered } from '@mgov/contracts';
import { assertNever, type CommandMetadata, type Decider, DomainError } from '@mgov/decider';

export const SOURCE_KINDS = ['anonymized-client', 'licensed-public', 'internal', 'synthetic'] as const;
export type SourceKind = (typeof SOURCE_KINDS)[number];

export type SourceCommand = {
  readonly type: 'RegisterSource';
  readonly sourceId: string;
  readonly name: string;
  readonly kind: SourceKind;
  readonly license: string;
  readonly owner: string;
  readonly personalDataColumns: readonly string[];
  /** When the license ends (epoch ms); absent or null: it does not expire. */
  readonly licenseExpiresAt?: number | null;
  readonly metadata: CommandMetadata;
};

export type SourceEvent = SourceRegistered;

export type SourceState =
  | { readonly status: 'unknown' }
  | { readonly status: 'registered'; readonly name: string; readonly personalDataColumns: readonly string[] };

function registerSource(command: SourceCommand, state: SourceState): SourceEvent[] {
  if (state.status === 'registered') {
    throw new DomainError('LINEAGE.SOURCE_EXISTS', `source ${command.sourceId} is already registered; register a new source id instead`);
  }
  if (!SOURCE_KINDS.includes(command.kind)) {
    throw new DomainError('LINEAGE.INVALID_SOURCE_KIND', `kind must be one of ${SOURCE_KINDS.join(', ')}`, 400);
  }
  if (!command.license.trim()) {
    throw new DomainError('LINEAGE.LICENSE_REQUIRED', 'a source needs a license: an SPDX id or the terms text', 400);
  }
  const { sourceId, name, kind, license, owner, personalDataColumns } = command;
  const licenseExpiresAt = command.licenseExpiresAt ?? null;
  return [{ type: 'SourceRegistered', data: { sourceId, name, kind, license, owner, personalDataColumns: [...personalDataColumns], licenseExpiresAt } }];
}

export const sourceDecider: Decider<SourceCommand, SourceEvent, SourceState> = {
  initialState: () => ({ status: 'unknown' }),
  decide: (command, state) => {
    switch (command.type) {
      case 'RegisterSource':
        return registerSource(command, state);
      default:
        return assertNever(command.type);
    }
  },
  evolve: (_state, event) => {
    switch (event.type) {
      case 'SourceRegistered':
        return { status: 'registered', name: event.data.name, personalDataColumns: event.data.personalDataColumns };
      default:
        return assertNever(event.type);
    }
  },
};
