import { DomainError } from '@mgov/decider';
import { type DatasetVersionState, isPrivacyCleared } from './dataset-version-state';

/** Roles that handle raw data by their job: they upload it and run the privacy gate on it. */
const RAW_DATA_ROLES: readonly string[] = ['data-steward', 'admin'];

/**
 * Whether `role` may read a version's bytes: data stewards any version, everyone else only versions
 * the privacy gate cleared (policy section 2: no raw personal data reaches R&D). Throws otherwise.
 */
export function assertMayReadContent(role: string, datasetVersionId: string, state: DatasetVersionState): void {
  if (state.status === 'unknown') throw new DomainError('LINEAGE.DATASET_VERSION_NOT_FOUND', `dataset version ${datasetVersionId} does not exist`, 404);
  if (RAW_DATA_ROLES.includes(role) || isPrivacyCleared(state)) return;
  throw new DomainError(
    'LINEAGE.RAW_DATA_FORBIDDEN',
    `dataset version ${datasetVersionId} has not been cleared by the privacy gate, so the ${role} role may not read it; read the cleared version the gate derived from it`,
    403,
  );
}
