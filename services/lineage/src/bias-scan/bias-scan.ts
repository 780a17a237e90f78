import type { BiasBreach } from '@mgov/contracts';
import { BIAS_SCANNER, biasReport } from '@mgov/bias';
import { type CommandMetadata, DomainError } from '@mgov/decider';
import { type DatasetFormat, readRows } from '@mgov/dataset-files';
import { datasetVersionDecider, type DatasetVersionState, isPrivacyCleared } from '@mgov/lineage-domain';
import type { ServiceRuntime } from '@mgov/service-runtime';
import { lineageLinks } from '../application/links';
import { reportingTampering } from '../application/tampering';
import { currentState, streams } from '../application/write-model';
import { assertColumnsExist, type DatasetPolicies } from '../datasets/dataset-policies';
import type { ObjectStore } from '@mgov/object-store';

export interface BiasScanResult {
  readonly datasetVersionId: string;
  readonly status: DatasetVersionState['status'];
  readonly outcome: 'passed' | 'flagged' | 'unchanged';
  readonly eligible: boolean;
  readonly breaches: readonly BiasBreach[];
}

/**
 * The pre-training bias scan of a privacy-cleared version with the approved scanner (BIAS_SCANNER,
 * recorded with the result), judged against the dataset's bias policy; and waivers of flagged scans.
 */
export class BiasScans {
  constructor(private readonly runtime: ServiceRuntime, private readonly objects: ObjectStore, private readonly policies: DatasetPolicies) {}

  async scan(datasetVersionId: string, metadata: CommandMetadata): Promise<BiasScanResult> {
    const streamId = streams.datasetVersion(datasetVersionId);
    const version = await currentState(this.runtime, streamId, datasetVersionDecider);
    if (version.status === 'unknown') throw new DomainError('LINEAGE.DATASET_VERSION_NOT_FOUND', `dataset version ${datasetVersionId} does not exist`, 404);
    if (version.status === 'eligible') return { datasetVersionId, status: version.status, outcome: 'unchanged', eligible: true, breaches: [] };
    if (!isPrivacyCleared(version)) {
      throw new DomainError('LINEAGE.NOT_PRIVACY_CLEARED', `dataset version ${datasetVersionId} is ${version.status}: run the privacy gate on its raw version and scan the cleared version it produces`, 409);
    }
    const { bias } = await this.policies.current(version.datasetName);
    if (!bias) {
      throw new DomainError('LINEAGE.BIAS_POLICY_REQUIRED', `dataset ${version.datasetName} has no bias policy; a data steward declares its protected attributes and label with POST /lineage/datasets/${version.datasetName}/bias-policy`, 409);
    }
    assertColumnsExist({ bias: bias.policy }, version.columns, `version ${datasetVersionId}`);
    const path = await reportingTampering(this.runtime, datasetVersionId, 'bias-scan', metadata, () => this.objects.verifiedPath(datasetVersionId));
    const { label, positive, protectedAttributes } = bias.policy;
    const report = await biasReport(readRows(path, version.format as DatasetFormat), { label, positive, protected: protectedAttributes });
    const events = await this.runtime.commands.execute({
      streamId, decider: datasetVersionDecider, links: lineageLinks,
      command: { type: 'RecordBiasScan', datasetVersionId, policyVersion: bias.version, thresholds: bias.policy.thresholds, scanner: BIAS_SCANNER, report, metadata },
    });
    const flagged = events.find((e) => e.type === 'BiasScanFlagged');
    const outcome = events.length === 0 ? 'unchanged' : flagged ? 'flagged' : 'passed';
    const after = await currentState(this.runtime, streamId, datasetVersionDecider);
    return { datasetVersionId, status: after.status, outcome, eligible: after.status === 'eligible', breaches: (flagged?.data as { breaches?: BiasBreach[] } | undefined)?.breaches ?? [] };
  }

  async waive(datasetVersionId: string, justification: unknown, metadata: CommandMetadata) {
    const events = await this.runtime.commands.execute({
      streamId: streams.datasetVersion(datasetVersionId), decider: datasetVersionDecider, links: lineageLinks,
      command: { type: 'WaiveBiasScan', datasetVersionId, justification: typeof justification === 'string' ? justification : '', metadata },
    });
    return { datasetVersionId, eligible: true, changed: events.length > 0 };
  }
}
