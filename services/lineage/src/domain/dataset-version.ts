import type { ColumnProfile, DatasetVersionStoredData } from '@mgov/contracts';
import { assertNever, type CommandMetadata, type Decider, DomainError } from '@mgov/decider';
import type { BiasReport } from '@mgov/bias';
import type { KAnonymityResult, ResidueFinding } from '@mgov/privacy';
import { judgeBias } from './bias-verdict';
import { type DatasetVersionEvent, type DatasetVersionState, evolveDatasetVersion, type KnownVersion } from './dataset-version-state';
import { judgePrivacy, type UntreatedPersonalData } from './privacy-verdict';

export * from './dataset-version-state';

export interface RegisterDatasetVersion {
  readonly type: 'RegisterDatasetVersion';
  readonly datasetVersionId: string;
  readonly datasetName: string;
  readonly sourceIds: readonly string[];
  /** Sources and parents the caller named that lineage does not know (asked of the write model): refused. */
  readonly unknownSourceIds: readonly string[];
  /** Named sources whose license was revoked (asked of the write model): nothing new may come from them. */
  readonly revokedSourceIds?: readonly string[];
  readonly parentVersionIds: readonly string[];
  readonly unknownParentVersionIds?: readonly string[];
  readonly transformation: string | null;
  readonly rowCount: number;
  readonly columns: readonly ColumnProfile[];
  /** How the bytes are stored; absent only for events written before uploads (JSON rows). */
  readonly storage?: Omit<DatasetVersionStoredData, 'datasetVersionId'>;
  readonly metadata: CommandMetadata;
}

/** The privacy gate's measurements of a treated version, which it registers (when new) and judges. */
export interface RecordPrivacyGate {
  readonly type: 'RecordPrivacyGate';
  readonly registration: Omit<RegisterDatasetVersion, 'type' | 'metadata'>;
  readonly rawVersionId: string;
  readonly policyVersion: number;
  readonly policyK: number;
  readonly quasiIdentifiers: readonly string[];
  readonly keyId: string | null;
  readonly rowsScanned: number;
  readonly residue: readonly ResidueFinding[];
  /** Null when the policy declares no quasi-identifiers. */
  readonly kAnonymity: KAnonymityResult | null;
  /** Columns the version's sources declared personal data that the policy does not treat. */
  readonly untreatedPersonalData?: readonly UntreatedPersonalData[];
  readonly metadata: CommandMetadata;
}

export interface RecordBiasScan {
  readonly type: 'RecordBiasScan';
  readonly datasetVersionId: string;
  readonly policyVersion: number;
  readonly thresholds: Readonly<Record<string, number>>;
  readonly scanner: { readonly name: string; readonly version: string };
  readonly report: BiasReport;
  readonly metadata: CommandMetadata;
}

export interface WaiveBiasScan {
  readonly type: 'WaiveBiasScan';
  readonly datasetVersionId: string;
  readonly justification: string;
  readonly metadata: CommandMetadata;
}

export interface RecordTampering {
  readonly type: 'RecordTampering';
  readonly datasetVersionId: string;
  readonly actualSha256: string;
  readonly detectedDuring: string;
  readonly metadata: CommandMetadata;
}

/** A source license upstream was revoked: the version may never be used for training again. */
export interface RevokeTrainingEligibility {
  readonly type: 'RevokeTrainingEligibility';
  readonly datasetVersionId: string;
  readonly reason: string;
  readonly sourceIds: readonly string[];
  readonly metadata: CommandMetadata;
}

export type DatasetVersionCommand = RegisterDatasetVersion | RecordPrivacyGate | RecordBiasScan | WaiveBiasScan | RecordTampering | RevokeTrainingEligibility;

/** A waiver has to say why; a word or two is not a reason. */
export const MIN_JUSTIFICATION_LENGTH = 20;

export function sourceLicenseRevokedError(sourceIds: readonly string[]): DomainError {
  return new DomainError('LINEAGE.SOURCE_LICENSE_REVOKED', `the license of source(s) ${sourceIds.join(', ')} was revoked: no new dataset version may be derived from them`, 409);
}

function notFound(id: string): DomainError {
  return new DomainError('LINEAGE.DATASET_VERSION_NOT_FOUND', `dataset version ${id} does not exist`, 404);
}

function register(command: Omit<RegisterDatasetVersion, 'type' | 'metadata'>, state: DatasetVersionState): DatasetVersionEvent[] {
  // Content addressing: the same bytes are the same version, so a second upload is a no-op.
  if (state.status !== 'unknown') return [];
  if (command.sourceIds.length === 0) {
    throw new DomainError('LINEAGE.SOURCE_REQUIRED', 'a dataset version must name at least one registered source', 400);
  }
  if (command.unknownSourceIds.length > 0) {
    throw new DomainError('LINEAGE.UNKNOWN_SOURCE', `unknown source(s): ${command.unknownSourceIds.join(', ')}; register them first`, 422);
  }
  if ((command.revokedSourceIds ?? []).length > 0) {
    throw sourceLicenseRevokedError(command.revokedSourceIds!);
  }
  if ((command.unknownParentVersionIds ?? []).length > 0) {
    throw new DomainError('LINEAGE.UNKNOWN_PARENT', `unknown parent version(s): ${command.unknownParentVersionIds!.join(', ')}; name registered dataset versions`, 422);
  }
  const { datasetVersionId, datasetName, sourceIds, parentVersionIds, transformation, rowCount, columns, storage } = command;
  const events: DatasetVersionEvent[] = [{
    type: 'DatasetVersionRegistered',
    data: { datasetVersionId, datasetName, sourceIds: [...sourceIds], parentVersionIds: [...parentVersionIds], transformation, rowCount, columns: [...columns] },
  }];
  if (storage) events.push({ type: 'DatasetVersionStored', data: { datasetVersionId, ...storage, columns: [...storage.columns] } });
  return events;
}

function privacyVerdict(command: RecordPrivacyGate, state: DatasetVersionState): DatasetVersionEvent[] {
  const registered = register(command.registration, state);
  const after = registered.reduce(evolveDatasetVersion, state) as KnownVersion;
  // Cleared stays cleared; a rejection is only worth repeating under another policy version.
  if (after.status === 'privacy-cleared' || after.status === 'eligible') return registered;
  if (after.status === 'privacy-rejected' && after.privacyPolicyVersion === command.policyVersion) return registered;
  const verdict = judgePrivacy(command.residue, command.kAnonymity, command.untreatedPersonalData, command.rowsScanned);
  const data = {
    datasetVersionId: command.registration.datasetVersionId, rawVersionId: command.rawVersionId, datasetName: after.datasetName,
    policyVersion: command.policyVersion, keyId: command.keyId, rowsScanned: command.rowsScanned, quasiIdentifiers: [...command.quasiIdentifiers],
    k: verdict.k, policyK: command.policyK,
  };
  return [...registered, verdict.cleared ? { type: 'PrivacyCleared', data } : { type: 'PrivacyRejected', data: { ...data, findings: verdict.findings } }];
}

function refuseRevoked(id: string, state: KnownVersion): void {
  if (state.eligibilityRevoked !== null) {
    throw new DomainError('LINEAGE.ELIGIBILITY_REVOKED', `dataset version ${id} may no longer be used for training (${state.eligibilityRevoked}); no gate or waiver can clear it`, 409);
  }
}

function biasScan(command: RecordBiasScan, state: DatasetVersionState): DatasetVersionEvent[] {
  const id = command.datasetVersionId;
  if (state.status === 'unknown') throw notFound(id);
  refuseRevoked(id, state);
  if (state.status === 'eligible') return [];
  if (state.status !== 'privacy-cleared') {
    throw new DomainError('LINEAGE.NOT_PRIVACY_CLEARED', `dataset version ${id} is ${state.status}: run the privacy gate on its raw version and scan the cleared version it produces`, 409);
  }
  const { bias } = state;
  if (bias.outcome === 'flagged' && bias.policyVersion === command.policyVersion && bias.scannerVersion === command.scanner.version) return [];
  const { groups, breaches } = judgeBias(command.report, command.thresholds);
  const { label, positive, rows } = command.report;
  const data = {
    datasetVersionId: id, policyVersion: command.policyVersion, scannerName: command.scanner.name, scannerVersion: command.scanner.version,
    label, positive, rows, thresholds: { ...command.thresholds }, groups,
  };
  if (breaches.length > 0) return [{ type: 'BiasScanFlagged', data: { ...data, breaches } }];
  return [
    { type: 'BiasScanPassed', data },
    { type: 'DatasetVersionClearedForTraining', data: { datasetVersionId: id, gate: 'privacy-gate+bias-scan', policyVersion: `privacy:${state.privacyPolicyVersion}+bias:${command.policyVersion}` } },
  ];
}

function waive(command: WaiveBiasScan, state: DatasetVersionState): DatasetVersionEvent[] {
  const id = command.datasetVersionId;
  if (state.status === 'unknown') throw notFound(id);
  refuseRevoked(id, state);
  if (state.status === 'eligible') return [];
  if (state.status !== 'privacy-cleared' || state.bias.outcome !== 'flagged') {
    throw new DomainError('LINEAGE.NO_FLAGGED_BIAS_SCAN', `dataset version ${id} has no flagged bias scan to waive; only a flagged scan of a privacy-cleared version can be waived`, 409);
  }
  const justification = (command.justification ?? '').trim();
  if (justification.length < MIN_JUSTIFICATION_LENGTH) {
    throw new DomainError('LINEAGE.JUSTIFICATION_REQUIRED', `a waiver needs a justification of at least ${MIN_JUSTIFICATION_LENGTH} characters: say why training on this data is acceptable`, 400);
  }
  const { policyVersion, scannerVersion } = state.bias;
  return [
    { type: 'BiasScanWaived', data: { datasetVersionId: id, justification, policyVersion, scannerVersion } },
    { type: 'DatasetVersionClearedForTraining', data: { datasetVersionId: id, gate: 'privacy-gate+bias-waiver', policyVersion: `privacy:${state.privacyPolicyVersion}+bias:${policyVersion}` } },
  ];
}

function tampering(command: RecordTampering, state: DatasetVersionState): DatasetVersionEvent[] {
  if (state.status === 'unknown') throw notFound(command.datasetVersionId);
  if (state.tamperedWith === command.actualSha256) return [];
  const { datasetVersionId, actualSha256, detectedDuring } = command;
  return [{ type: 'DatasetVersionTamperingDetected', data: { datasetVersionId, actualSha256, detectedDuring } }];
}

function revokeEligibility(command: RevokeTrainingEligibility, state: DatasetVersionState): DatasetVersionEvent[] {
  if (state.status === 'unknown') throw notFound(command.datasetVersionId);
  if (state.eligibilityRevoked !== null) return [];
  const { datasetVersionId, reason, sourceIds } = command;
  return [{ type: 'DatasetVersionTrainingEligibilityRevoked', data: { datasetVersionId, reason, sourceIds: [...sourceIds] } }];
}

export const datasetVersionDecider: Decider<DatasetVersionCommand, DatasetVersionEvent, DatasetVersionState> = {
  initialState: () => ({ status: 'unknown' }),
  decide: (command, state) => {
    switch (command.type) {
      case 'RegisterDatasetVersion':
        return register(command, state);
      case 'RecordPrivacyGate':
        return privacyVerdict(command, state);
      case 'RecordBiasScan':
        return biasScan(command, state);
      case 'WaiveBiasScan':
        return waive(command, state);
      case 'RecordTampering':
        return tampering(command, state);
      case 'RevokeTrainingEligibility':
        return revokeEligibility(command, state);
      default:
        return assertNever(command);
    }
  },
  evolve: evolveDatasetVersion,
};
