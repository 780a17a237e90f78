import type { PrivacyFinding } from '@mgov/contracts';
import { type CommandMetadata, DomainError } from '@mgov/decider';
import { csvProfileTap, type DatasetFormat, profileDatasetFile, readRows } from '@mgov/dataset-files';
import { datasetVersionDecider, type DatasetVersionState, type PrivacyPolicy, pseudonymizationKeyDecider, sourceDecider, sourceLicenseRevokedError } from '@mgov/lineage-domain';
import { compileTreatment, kAnonymityCounter, residueScanner, treatedColumns } from '@mgov/privacy';
import type { ServiceRuntime } from '@mgov/service-runtime';
import { lineageLinks } from '../application/links';
import { reportingTampering } from '../application/tampering';
import { currentState, revokedSources, streams } from '../application/write-model';
import { assertColumnsExist, type DatasetPolicies } from '../datasets/dataset-policies';
import { storedColumns } from '../datasets/dataset-upload';
import { objectKey, type ObjectStore } from '@mgov/object-store';
import type { PseudonymizationSecret } from './pseudonymization-key-provider';
import { treatedBytes, treatedFormat } from './treated-output';

export interface PrivacyGateResult {
  readonly rawVersionId: string;
  /** The treated version the gate produced (and judged). */
  readonly datasetVersionId: string;
  readonly status: DatasetVersionState['status'];
  readonly k: number | null;
  readonly findings: readonly PrivacyFinding[];
}

/**
 * The privacy gate: the platform applies the dataset's privacy policy to a raw version, stores the
 * result as a new content-addressed version derived from it, scans that for personal-data residue and
 * measures its k-anonymity, and records the verdict on it (PrivacyCleared or PrivacyRejected).
 */
export class PrivacyGate {
  constructor(
    private readonly runtime: ServiceRuntime,
    private readonly objects: ObjectStore,
    private readonly policies: DatasetPolicies,
    private readonly key: () => Promise<PseudonymizationSecret>,
  ) {}

  async run(rawVersionId: string, metadata: CommandMetadata): Promise<PrivacyGateResult> {
    const raw = await currentState(this.runtime, streams.datasetVersion(rawVersionId), datasetVersionDecider);
    if (raw.status === 'unknown') throw new DomainError('LINEAGE.DATASET_VERSION_NOT_FOUND', `dataset version ${rawVersionId} does not exist`, 404);
    if (raw.status !== 'registered') {
      throw new DomainError('LINEAGE.ALREADY_GATED', `dataset version ${rawVersionId} is already ${raw.status}: it is the privacy gate's output; run the gate on the raw version it derives from`, 409);
    }
    const revokedSourceIds = await revokedSources(this.runtime, raw.sourceIds);
    if (revokedSourceIds.length > 0) throw sourceLicenseRevokedError(revokedSourceIds);
    const { privacy } = await this.policies.current(raw.datasetName);
    if (!privacy) {
      throw new DomainError('LINEAGE.PRIVACY_POLICY_REQUIRED', `dataset ${raw.datasetName} has no privacy policy; a data steward sets one with POST /lineage/datasets/${raw.datasetName}/privacy-policy`, 409);
    }
    assertColumnsExist({ privacy: privacy.policy }, raw.columns, `version ${rawVersionId}`);
    const untreatedPersonalData = await this.untreatedPersonalData(raw.sourceIds, raw.columns, privacy.policy);
    const secret = privacy.policy.pseudonymize.length > 0 ? await this.useKey(metadata) : null;
    const path = await reportingTampering(this.runtime, rawVersionId, 'privacy-gate', metadata, () => this.objects.verifiedPath(rawVersionId));

    const treat = compileTreatment(privacy.policy, secret?.key ?? '');
    const residue = residueScanner();
    const quasiIdentifiers = privacy.policy.quasiIdentifiers;
    const kAnonymity = quasiIdentifiers.length > 0 ? kAnonymityCounter({ quasiIdentifiers, policyK: privacy.policy.k }) : null;
    const rawFormat = raw.format as DatasetFormat;
    const format = treatedFormat(rawFormat);
    const columns = raw.columns.filter((column) => !privacy.policy.drop.includes(column));
    async function* treatedRows() {
      for await (const row of readRows(path, rawFormat)) {
        const treated = treat(row);
        residue.add(treated);
        kAnonymity?.add(treated);
        yield treated;
      }
    }
    const tap = format === 'csv' ? csvProfileTap() : null;
    const staged = await this.objects.stage(treatedBytes(treatedRows(), format, columns), { maxBytes: Number.MAX_SAFE_INTEGER, through: tap?.transforms });
    const profile = await (tap ? tap.result(staged.localPath) : profileDatasetFile(staged.localPath, format)).catch(async (error) => {
      await staged.discard();
      throw error;
    });
    await staged.commit();

    const datasetVersionId = staged.sha256;
    const transformation = `privacy gate: ${raw.datasetName} privacy policy v${privacy.version}${secret ? `, pseudonymization key ${secret.keyId}` : ''}`;
    const events = await this.runtime.commands.execute({
      streamId: streams.datasetVersion(datasetVersionId), decider: datasetVersionDecider, links: lineageLinks,
      command: {
        type: 'RecordPrivacyGate', rawVersionId, policyVersion: privacy.version, policyK: privacy.policy.k, quasiIdentifiers, keyId: secret?.keyId ?? null,
        rowsScanned: residue.rowsScanned, residue: residue.findings(), kAnonymity: kAnonymity?.result() ?? null, untreatedPersonalData, metadata,
        registration: {
          datasetVersionId, datasetName: raw.datasetName, sourceIds: raw.sourceIds, unknownSourceIds: [], revokedSourceIds, parentVersionIds: [rawVersionId], transformation,
          rowCount: profile.rowCount, columns: [...profile.profiles],
          storage: { format, byteSize: staged.bytes, objectKey: objectKey(datasetVersionId), columns: storedColumns(profile) },
        },
      },
    });
    const verdict = events.find((e) => e.type === 'PrivacyCleared' || e.type === 'PrivacyRejected');
    const state = await currentState(this.runtime, streams.datasetVersion(datasetVersionId), datasetVersionDecider);
    const data = verdict?.data as { k: number | null; findings?: PrivacyFinding[] } | undefined;
    return { rawVersionId, datasetVersionId, status: state.status, k: data?.k ?? null, findings: data?.findings ?? [] };
  }

  /** Columns of the version that a source declared personal data and the policy leaves untouched. */
  private async untreatedPersonalData(sourceIds: readonly string[], columns: readonly string[], policy: PrivacyPolicy) {
    const treated = new Set(treatedColumns(policy));
    const untreated: { column: string; sourceId: string }[] = [];
    for (const sourceId of sourceIds) {
      const source = await currentState(this.runtime, streams.source(sourceId), sourceDecider);
      if (source.status !== 'registered') continue;
      for (const column of source.personalDataColumns) {
        if (columns.includes(column) && !treated.has(column)) untreated.push({ column, sourceId });
      }
    }
    return untreated;
  }

  /** Reads the key from the secret provider and records its activation when it is new (first key or rotation). */
  private async useKey(metadata: CommandMetadata): Promise<PseudonymizationSecret> {
    const secret = await this.key();
    await this.runtime.commands.execute({
      streamId: streams.pseudonymizationKey, decider: pseudonymizationKeyDecider, links: lineageLinks,
      command: { type: 'UsePseudonymizationKey', keyId: secret.keyId, keySource: secret.source, metadata },
    });
    return secret;
  }
}
