import type {
  BiasScanFlagged, BiasScanPassed, BiasScanWaived, DatasetVersionClearedForTraining, DatasetVersionRegistered, DatasetVersionStored,
  DatasetVersionTamperingDetected, DatasetVersionTrainingEligibilityRevoked, PrivacyCleared, PrivacyRejected,
} from '@mgov/contracts';
import { assertNever } from '@mgov/decider';

export type DatasetVersionEvent =
  | DatasetVersionRegistered | DatasetVersionStored | PrivacyCleared | PrivacyRejected | BiasScanPassed | BiasScanFlagged | BiasScanWaived
  | DatasetVersionClearedForTraining | DatasetVersionTamperingDetected | DatasetVersionTrainingEligibilityRevoked;

/** What every registered version knows about itself, whatever its gates say. */
export interface StoredVersion {
  readonly datasetName: string;
  readonly sourceIds: readonly string[];
  /** csv | jsonl | parquet; versions registered before the upload existed were stored as JSON Lines. */
  readonly format: string;
  readonly columns: readonly string[];
  /** The sha256 a read found instead of the version id, once tampering was detected. */
  readonly tamperedWith: string | null;
  /** Why the version may never be used for training (a source license upstream was revoked), once that happened. */
  readonly eligibilityRevoked: string | null;
}

/**
 * Where a version stands on the way to training. A version the privacy gate produced is cleared or
 * rejected; a cleared one is eligible once its bias scan passed or its flagged scan was waived.
 */
export type DatasetVersionState =
  | { readonly status: 'unknown' }
  | ({ readonly status: 'registered' } & StoredVersion)
  | ({ readonly status: 'privacy-rejected'; readonly privacyPolicyVersion: number } & StoredVersion)
  | ({
      readonly status: 'privacy-cleared';
      readonly privacyPolicyVersion: number;
      readonly bias: { readonly outcome: 'not-scanned' } | { readonly outcome: 'flagged'; readonly policyVersion: number; readonly scannerVersion: string };
    } & StoredVersion)
  | ({ readonly status: 'eligible'; readonly gate: string } & StoredVersion);

export type KnownVersion = Exclude<DatasetVersionState, { status: 'unknown' }>;

function stored(state: DatasetVersionState): StoredVersion | null {
  if (state.status === 'unknown') return null;
  const { datasetName, sourceIds, format, columns, tamperedWith, eligibilityRevoked } = state;
  return { datasetName, sourceIds, format, columns, tamperedWith, eligibilityRevoked };
}

export function evolveDatasetVersion(state: DatasetVersionState, event: DatasetVersionEvent): DatasetVersionState {
  const known = stored(state);
  switch (event.type) {
    case 'DatasetVersionRegistered': {
      const { datasetName, sourceIds, columns } = event.data;
      return { status: 'registered', datasetName, sourceIds, format: 'jsonl', columns: columns.map((c) => c.name), tamperedWith: null, eligibilityRevoked: null };
    }
    case 'DatasetVersionStored':
      return state.status === 'unknown' ? state : { ...state, format: event.data.format, columns: event.data.columns.map((c) => c.name) };
    case 'PrivacyCleared':
      return known ? { ...known, status: 'privacy-cleared', privacyPolicyVersion: event.data.policyVersion, bias: { outcome: 'not-scanned' } } : state;
    case 'PrivacyRejected':
      return known ? { ...known, status: 'privacy-rejected', privacyPolicyVersion: event.data.policyVersion } : state;
    case 'BiasScanFlagged':
      return state.status === 'privacy-cleared'
        ? { ...state, bias: { outcome: 'flagged', policyVersion: event.data.policyVersion, scannerVersion: event.data.scannerVersion } } : state;
    case 'BiasScanPassed':
    case 'BiasScanWaived':
      return state;
    case 'DatasetVersionClearedForTraining':
      return known ? { ...known, status: 'eligible', gate: event.data.gate } : state;
    case 'DatasetVersionTamperingDetected':
      return state.status === 'unknown' ? state : { ...state, tamperedWith: event.data.actualSha256 };
    case 'DatasetVersionTrainingEligibilityRevoked':
      return state.status === 'unknown' ? state : { ...state, eligibilityRevoked: event.data.reason };
    default:
      return assertNever(event);
  }
}

/** Whether a version's bytes passed the privacy gate: what anyone but a data steward may read. */
export function isPrivacyCleared(state: DatasetVersionState): boolean {
  // The walking skeleton's stub clearance ran no privacy gate: its versions do not count.
  return state.status === 'privacy-cleared' || (state.status === 'eligible' && state.gate !== 'stub');
}
