import { type ImpactedModelVersion, type SourceLicenseRevoked, Subject } from '@mgov/contracts';
import { assertNever, type CommandMetadata, type Decider, DomainError } from '@mgov/decider';

export interface LicenseImpact {
  readonly datasetVersionIds: readonly string[];
  readonly runIds: readonly string[];
  readonly modelVersions: readonly ImpactedModelVersion[];
  readonly deploymentIds: readonly string[];
}

export type SourceLicenseCommand = {
  readonly type: 'RevokeSourceLicense';
  readonly sourceId: string;
  /** Whether the source's own stream exists (asked of the write model by the caller). */
  readonly sourceRegistered: boolean;
  readonly reason: string;
  /** What the lineage graph shows downstream right now: recorded with the revocation. */
  readonly impact: LicenseImpact;
  readonly metadata: CommandMetadata;
};

export type SourceLicenseState = { readonly status: 'licensed' } | { readonly status: 'revoked'; readonly reason: string };

function revoke(command: SourceLicenseCommand, state: SourceLicenseState): SourceLicenseRevoked[] {
  if (!command.sourceRegistered) {
    throw new DomainError('LINEAGE.SOURCE_NOT_FOUND', `source ${command.sourceId} does not exist`, 404);
  }
  if (!command.reason.trim()) {
    throw new DomainError('LINEAGE.REVOCATION_REASON_REQUIRED', 'say why the license is revoked: {"reason": "…"}', 400);
  }
  // A license is revoked once; asking again changes nothing (and keeps the first reason).
  if (state.status === 'revoked') return [];
  const { sourceId, reason, impact } = command;
  return [{
    type: 'SourceLicenseRevoked',
    data: {
      sourceId, reason: reason.trim(), impactedDatasetVersionIds: [...impact.datasetVersionIds], impactedRunIds: [...impact.runIds],
      impactedModelVersions: [...impact.modelVersions], impactedDeploymentIds: [...impact.deploymentIds],
    },
  }];
}

/**
 * A source's license, on its own stream (`source-license:<id>`) beside the source's registration,
 * so revocation needs nothing from the source aggregate but the fact that it exists.
 */
export const sourceLicenseDecider: Decider<SourceLicenseCommand, SourceLicenseRevoked, SourceLicenseState> = {
  initialState: () => ({ status: 'licensed' }),
  decide: (command, state) => {
    switch (command.type) {
      case 'RevokeSourceLicense':
        return revoke(command, state);
      default:
        return assertNever(command.type);
    }
  },
  evolve: (_state, event) => {
    switch (event.type) {
      case 'SourceLicenseRevoked':
        return { status: 'revoked', reason: event.data.reason };
      default:
        return assertNever(event.type);
    }
  },
};

/** A revocation is about the source and about everything it reached, so audit finds it from a model version too. */
export function sourceLicenseLinks(event: SourceLicenseRevoked): string[] {
  const d = event.data;
  return [
    Subject.source(d.sourceId), ...d.impactedDatasetVersionIds.map(Subject.datasetVersion), ...d.impactedRunIds.map(Subject.run),
    ...d.impactedModelVersions.map((mv) => Subject.modelVersion(mv.modelName, mv.version)), ...d.impactedDeploymentIds.map(Subject.deployment),
  ];
}
