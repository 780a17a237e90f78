import { assertMayReadContent } from './content-access';
import { datasetVersionDecider, type DatasetVersionEvent } from './dataset-version';
import { RAW, registered } from './dataset-version.fixture';

const stateOf = (events: DatasetVersionEvent[]) => events.reduce(datasetVersionDecider.evolve, datasetVersionDecider.initialState());
const cleared: DatasetVersionEvent = {
  type: 'PrivacyCleared', data: { datasetVersionId: RAW, rawVersionId: 'f'.repeat(64), datasetName: 'loans', policyVersion: 1, keyId: null, rowsScanned: 2, quasiIdentifiers: [], k: null, policyK: 5 },
};

describe('who may read a version’s bytes', () => {
  it('lets data stewards and admins read raw versions, and nobody else', () => {
    expect(() => assertMayReadContent('data-steward', RAW, stateOf(registered()))).not.toThrow();
    expect(() => assertMayReadContent('admin', RAW, stateOf(registered()))).not.toThrow();
    for (const role of ['data-scientist', 'ml-engineer', 'model-reviewer', 'governance-auditor']) {
      expect(() => assertMayReadContent(role, RAW, stateOf(registered()))).toThrow(expect.objectContaining({ code: 'LINEAGE.RAW_DATA_FORBIDDEN', status: 403 }));
    }
  });

  it('lets everyone read a version the privacy gate cleared', () => {
    expect(() => assertMayReadContent('data-scientist', RAW, stateOf([...registered(), cleared]))).not.toThrow();
  });

  it('does not count the walking skeleton’s stub clearance as a privacy clearance', () => {
    const stub: DatasetVersionEvent = { type: 'DatasetVersionClearedForTraining', data: { datasetVersionId: RAW, gate: 'stub', policyVersion: 'skeleton-0' } };
    expect(() => assertMayReadContent('data-scientist', RAW, stateOf([...registered(), stub]))).toThrow(expect.objectContaining({ code: 'LINEAGE.RAW_DATA_FORBIDDEN' }));
  });

  it('says 404 for a version that does not exist', () => {
    expect(() => assertMayReadContent('data-steward', RAW, stateOf([]))).toThrow(expect.objectContaining({ code: 'LINEAGE.DATASET_VERSION_NOT_FOUND' }));
  });
});
