import { deciderSpec } from '@mgov/testing';
import type { DatasetVersionRegistered } from '@mgov/contracts';
import { datasetVersionDecider } from './dataset-version';

const metadata = { actor: { id: 'steward', role: 'data-steward' }, now: 1_790_000_000_000, correlationId: 'c' };
const registration = {
  type: 'RegisterDatasetVersion' as const, datasetVersionId: 'ab12', datasetName: 'loans', sourceIds: ['crm'],
  unknownSourceIds: [], parentVersionIds: [], transformation: null, rowCount: 2, columns: [], metadata,
};
const registered: DatasetVersionRegistered = {
  type: 'DatasetVersionRegistered',
  data: { datasetVersionId: 'ab12', datasetName: 'loans', sourceIds: ['crm'], parentVersionIds: [], transformation: null, rowCount: 2, columns: [] },
};
const spec = deciderSpec(datasetVersionDecider);

describe('dataset version', () => {
  it('is registered once per content address', () => {
    spec.given([]).when(registration).then([registered]);
    spec.given([registered]).when(registration).then([]);
  });

  it('needs a known source', () => {
    spec.given([]).when({ ...registration, sourceIds: [] }).thenThrows('LINEAGE.SOURCE_REQUIRED');
    spec.given([]).when({ ...registration, unknownSourceIds: ['ghost'] }).thenThrows('LINEAGE.UNKNOWN_SOURCE');
  });

  it('can be cleared for training only once it exists', () => {
    const clear = { type: 'ClearForTraining' as const, datasetVersionId: 'ab12', gate: 'stub', policyVersion: 'p1', metadata };
    spec.given([]).when(clear).thenThrows('LINEAGE.DATASET_VERSION_NOT_FOUND');
    spec.given([registered]).when(clear).then([
      { type: 'DatasetVersionClearedForTraining', data: { datasetVersionId: 'ab12', gate: 'stub', policyVersion: 'p1' } },
    ]);
  });
});
