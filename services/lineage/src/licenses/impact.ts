import type { GraphNode, GraphView } from '../graph/graph-model';
import type { LicenseImpact } from './source-license';

export type LicenseStatus = 'active' | 'expired' | 'revoked';

export interface ImpactedNode {
  readonly id: string;
  readonly label: string;
  readonly attributes: Readonly<Record<string, unknown>>;
}

/** Everything downstream of a source, by kind: what a revoked or expired license taints. */
export interface ImpactReport {
  readonly datasetVersions: readonly ImpactedNode[];
  readonly runs: readonly ImpactedNode[];
  readonly modelVersions: readonly (ImpactedNode & { readonly modelName: string; readonly version: number })[];
  readonly deployments: readonly ImpactedNode[];
  readonly externalDatasets: readonly ImpactedNode[];
  /** True when the walk hit its limits: the lists are incomplete. */
  readonly truncated: boolean;
}

const entry = (node: GraphNode): ImpactedNode => ({ id: node.id, label: node.label, attributes: node.attributes });

export function impactOf(downstream: GraphView): ImpactReport {
  const below = downstream.nodes.filter((node) => node.key !== downstream.root);
  const of = (kind: GraphNode['kind']) => below.filter((node) => node.kind === kind).map(entry);
  return {
    datasetVersions: of('dataset-version'),
    runs: of('run'),
    // Model names cannot contain ':', so the version is what follows the last one.
    modelVersions: of('model-version').map((mv) => ({ ...mv, modelName: mv.id.slice(0, mv.id.lastIndexOf(':')), version: Number(mv.id.slice(mv.id.lastIndexOf(':') + 1)) })),
    deployments: of('deployment'),
    externalDatasets: of('external-dataset'),
    truncated: downstream.truncated,
  };
}

/** The ids a revocation event records. */
export function recordedImpact(report: ImpactReport): LicenseImpact {
  return {
    datasetVersionIds: report.datasetVersions.map((d) => d.id),
    runIds: report.runs.map((r) => r.id),
    modelVersions: report.modelVersions.map(({ modelName, version }) => ({ modelName, version })),
    deploymentIds: report.deployments.map((d) => d.id),
  };
}

/** Revoked wins over expired: a revocation is a decision, an expiry a date. */
export function licenseStatus(attributes: Readonly<Record<string, unknown>>, now: number): LicenseStatus {
  if (attributes.licenseRevokedAt !== undefined) return 'revoked';
  const expires = typeof attributes.licenseExpiresAt === 'string' ? Date.parse(attributes.licenseExpiresAt) : Number.NaN;
  return expires <= now ? 'expired' : 'active';
}
