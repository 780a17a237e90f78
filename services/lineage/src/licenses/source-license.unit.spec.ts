import type { SourceLicenseRevoked } from '@mgov/contracts';
import { deciderSpec } from '@mgov/testing';
import type { GraphView } from '../graph/graph-model';
import { impactOf, licenseStatus, recordedImpact } from './impact';
import { sourceLicenseDecider, sourceLicenseLinks } from './source-license';

const metadata = { actor: { id: 'dana', role: 'data-steward' }, now: 1_790_000_000_000, correlationId: 'c' };
const impact = { datasetVersionIds: ['d1'], runIds: ['r1'], modelVersions: [{ modelName: 'credit', version: 2 }], deploymentIds: [] };
const revoke = { type: 'RevokeSourceLicense' as const, sourceId: 'crm', sourceRegistered: true, reason: ' contract ended ', impact, metadata };
const revoked: SourceLicenseRevoked = {
  type: 'SourceLicenseRevoked',
  data: { sourceId: 'crm', reason: 'contract ended', impactedDatasetVersionIds: ['d1'], impactedRunIds: ['r1'], impactedModelVersions: [{ modelName: 'credit', version: 2 }], impactedDeploymentIds: [] },
};
const spec = deciderSpec(sourceLicenseDecider);

describe('a source license', () => {
  it('is revoked once, with the reason and the impact known at that moment', () => {
    spec.given([]).when(revoke).then([revoked]);
    spec.given([revoked]).when({ ...revoke, reason: 'again' }).then([]);
  });

  it('can only be revoked for a registered source, with a reason', () => {
    spec.given([]).when({ ...revoke, sourceRegistered: false }).thenThrows('LINEAGE.SOURCE_NOT_FOUND');
    spec.given([]).when({ ...revoke, reason: '  ' }).thenThrows('LINEAGE.REVOCATION_REASON_REQUIRED');
  });

  it('links the revocation to everything it taints, so audit finds it from a model version', () => {
    expect(sourceLicenseLinks(revoked)).toEqual(['source:crm', 'dataset-version:d1', 'run:r1', 'model-version:credit:2']);
  });

  it('is revoked, expired or active, revoked first', () => {
    expect(licenseStatus({ licenseRevokedAt: '2025-01-01T00:00:00Z', licenseExpiresAt: null }, 0)).toBe('revoked');
    expect(licenseStatus({ licenseExpiresAt: '2025-01-01T00:00:00.000Z' }, Date.UTC(2025, 0, 1))).toBe('expired');
    expect(licenseStatus({ licenseExpiresAt: '2025-01-01T00:00:00.000Z' }, Date.UTC(2024, 0, 1))).toBe('active');
    expect(licenseStatus({ licenseExpiresAt: null }, 0)).toBe('active');
  });
});

describe('impact analysis', () => {
  it('sorts what is downstream of a source by kind, and records its ids', () => {
    const node = (key: string) => ({ key, kind: key.slice(0, key.indexOf(':')) as never, id: key.slice(key.indexOf(':') + 1), label: key, attributes: {} });
    const view: GraphView = {
      root: 'source:crm', direction: 'downstream', depth: 100, truncated: false, edges: [],
      nodes: ['source:crm', 'dataset-version:d1', 'run:r1', 'external-dataset:s3://b:x', 'model-version:credit:2', 'deployment:prod'].map(node),
    };
    const report = impactOf(view);
    expect(report.modelVersions).toEqual([expect.objectContaining({ id: 'credit:2', modelName: 'credit', version: 2 })]);
    expect(report.externalDatasets.map((d) => d.id)).toEqual(['s3://b:x']);
    expect(recordedImpact(report)).toEqual({ datasetVersionIds: ['d1'], runIds: ['r1'], modelVersions: [{ modelName: 'credit', version: 2 }], deploymentIds: ['prod'] });
  });
});
