import { Subject } from '@mgov/contracts';
import { type CommandMetadata, DomainError } from '@mgov/decider';
import type { ServiceRuntime } from '@mgov/service-runtime';
import { datasetVersionDecider } from '@mgov/lineage-domain';
import { lineageLinks } from '../application/links';
import { streams } from '../application/write-model';
import { type LineageGraph, MAX_DEPTH } from '../graph/lineage-graph';
import { type ImpactReport, impactOf, licenseStatus, type LicenseStatus, recordedImpact } from './impact';
import { sourceLicenseDecider, sourceLicenseLinks } from './source-license';

export interface SourceImpact extends ImpactReport {
  readonly source: { readonly sourceId: string; readonly name: string; readonly licenseStatus: LicenseStatus; readonly attributes: Readonly<Record<string, unknown>> };
}

/** License revocation and impact analysis: what a source's data reached, read from the lineage graph. */
export class SourceLicenses {
  constructor(private readonly runtime: ServiceRuntime, private readonly graph: LineageGraph) {}

  async revoke(sourceId: string, body: { reason?: unknown } | undefined, metadata: CommandMetadata) {
    const sourceRegistered = (await this.runtime.store.streamVersion(Subject.source(sourceId))) > 0;
    const impact = await this.downstream(sourceId);
    const events = await this.runtime.commands.execute({
      streamId: streams.sourceLicense(sourceId),
      decider: sourceLicenseDecider,
      links: sourceLicenseLinks,
      command: {
        type: 'RevokeSourceLicense', sourceId, sourceRegistered, reason: typeof body?.reason === 'string' ? body.reason : '',
        impact: recordedImpact(impact), metadata,
      },
    });
    const revokedDatasetVersionIds = await this.revokeTrainingEligibility(sourceId, impact, metadata);
    return { sourceId, revoked: true, changed: events.length > 0, impact, revokedDatasetVersionIds };
  }

  /**
   * Every dataset version downstream loses its eligibility for training, one event on each version's
   * stream, which the experiment and registry services consume. Idempotent per version, so revoking again
   * finishes a fan-out that a crash interrupted.
   */
  private async revokeTrainingEligibility(sourceId: string, impact: ImpactReport, metadata: CommandMetadata): Promise<string[]> {
    const revoked: string[] = [];
    for (const { id } of impact.datasetVersions) {
      const events = await this.runtime.commands.execute({
        streamId: streams.datasetVersion(id), decider: datasetVersionDecider, links: lineageLinks,
        command: { type: 'RevokeTrainingEligibility', datasetVersionId: id, reason: `license of source ${sourceId} revoked`, sourceIds: [sourceId], metadata },
      });
      if (events.length > 0) revoked.push(id);
    }
    return revoked;
  }

  async impact(sourceId: string): Promise<SourceImpact> {
    const [source] = await this.graph.nodes([Subject.source(sourceId)]);
    if (!source || source.attributes.registeredAt === undefined) {
      throw new DomainError('LINEAGE.SOURCE_NOT_FOUND', `source ${sourceId} does not exist (or is not projected yet)`, 404);
    }
    const report = await this.downstream(sourceId);
    return { source: { sourceId, name: source.label, licenseStatus: licenseStatus(source.attributes, this.runtime.clock.now()), attributes: source.attributes }, ...report };
  }

  private async downstream(sourceId: string): Promise<ImpactReport> {
    const root = Subject.source(sourceId);
    return impactOf(await this.graph.view('source', sourceId, 'downstream', MAX_DEPTH).catch((error: { code?: string }) => {
      // Unknown, or registered a moment ago and not projected yet: then nothing is downstream of it either.
      if (error.code === 'LINEAGE.GRAPH_NODE_NOT_FOUND') return { root, direction: 'downstream' as const, depth: 0, truncated: false, nodes: [], edges: [] };
      throw error;
    }));
  }
}
