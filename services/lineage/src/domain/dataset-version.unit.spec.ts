import { deciderSpec } from '@mgov/testing';
import { datasetVersionDecider, type RecordPrivacyGate } from './dataset-version';
import { biasOf, DERIVED, kOf, metadata, RAW, registered, registration } from './dataset-version.fixture';

const spec = deciderSpec(datasetVersionDecider);

describe('dataset version: registration', () => {
  it('is registered and stored once per content address', () => {
    spec.given([]).when({ type: 'RegisterDatasetVersion', ...registration, metadata }).then(registered());
    spec.given(registered()).when({ type: 'RegisterDatasetVersion', ...registration, metadata }).then([]);
  });

  it('needs known sources and parents', () => {
    spec.given([]).when({ type: 'RegisterDatasetVersion', ...registration, sourceIds: [], metadata }).thenThrows('LINEAGE.SOURCE_REQUIRED');
    spec.given([]).when({ type: 'RegisterDatasetVersion', ...registration, unknownSourceIds: ['ghost'], metadata }).thenThrows('LINEAGE.UNKNOWN_SOURCE');
    spec.given([]).when({ type: 'RegisterDatasetVersion', ...registration, unknownParentVersionIds: ['f00'], metadata }).thenThrows('LINEAGE.UNKNOWN_PARENT');
  });

  it('refuses a version derived from a source whose license was revoked', () => {
    spec.given([]).when({ type: 'RegisterDatasetVersion', ...registration, revokedSourceIds: ['crm'], metadata }).thenThrows('LINEAGE.SOURCE_LICENSE_REVOKED');
  });
});

describe('dataset version: privacy gate', () => {
  const gate = (over: Partial<RecordPrivacyGate> = {}): RecordPrivacyGate => ({
    type: 'RecordPrivacyGate', rawVersionId: RAW, policyVersion: 1, policyK: 2, quasiIdentifiers: ['zip'], keyId: 'k1', rowsScanned: 4,
    registration: { ...registration, datasetVersionId: DERIVED, parentVersionIds: [RAW], transformation: 'privacy treatment' },
    residue: [], kAnonymity: kOf(['021', '021', '945', '945']), metadata, ...over,
  });
  const derived = registered(DERIVED, [RAW], 'privacy treatment');
  const verdict = { datasetVersionId: DERIVED, rawVersionId: RAW, datasetName: 'loans', policyVersion: 1, keyId: 'k1', rowsScanned: 4, quasiIdentifiers: ['zip'], policyK: 2 };

  it('registers the treated version and clears it when nothing is found and every class reaches k', () => {
    spec.given([]).when(gate()).then([...derived, { type: 'PrivacyCleared', data: { ...verdict, k: 2 } }]);
  });

  it('rejects it with the residue found, column by column, samples redacted', () => {
    const residue = [{ column: 'note', detector: 'email' as const, count: 3, sample: 'a***@e***.com' }];
    spec.given([]).when(gate({ residue })).then([...derived, { type: 'PrivacyRejected', data: { ...verdict, k: 2, findings: residue } }]);
  });

  it('rejects it when an equivalence class is smaller than the policy k, naming the smallest', () => {
    spec.given([]).when(gate({ kAnonymity: kOf(['021', '021', '945']) })).then([...derived, {
      type: 'PrivacyRejected',
      data: { ...verdict, k: 1, findings: [{ column: 'zip', detector: 'k-anonymity', count: 1, sample: 'k=1 < 2: zip=9** (1 row)' }] },
    }]);
  });

  it('rejects it when a column a source declared personal data is left untreated by the policy', () => {
    spec.given([]).when(gate({ untreatedPersonalData: [{ column: 'phone', sourceId: 'crm' }] })).then([...derived, {
      type: 'PrivacyRejected',
      data: { ...verdict, k: 2, findings: [{ column: 'phone', detector: 'declared-personal-data', count: 4, sample: 'declared personal data by source crm, left untreated by the policy' }] },
    }]);
  });

  it('judges once per policy version, and never takes a clearance back', () => {
    const rejected = { type: 'PrivacyRejected' as const, data: { ...verdict, k: 1, findings: [] } };
    spec.given([...derived, rejected]).when(gate({ kAnonymity: kOf(['021']) })).then([]);
    spec.given([...derived, rejected]).when(gate({ policyVersion: 2 })).then([{ type: 'PrivacyCleared', data: { ...verdict, policyVersion: 2, k: 2 } }]);
    spec.given([...derived, { type: 'PrivacyCleared', data: { ...verdict, k: 2 } }]).when(gate({ policyVersion: 2, kAnonymity: kOf(['021']) })).then([]);
  });
});

describe('dataset version: bias scan, waiver and eligibility', () => {
  const cleared = [...registered(), { type: 'PrivacyCleared' as const, data: { datasetVersionId: RAW, rawVersionId: RAW, datasetName: 'loans', policyVersion: 3, keyId: null, rowsScanned: 200, quasiIdentifiers: [], k: null, policyK: 5 } }];
  const scan = (rates: Record<string, number>, policyVersion = 1) => ({
    type: 'RecordBiasScan' as const, datasetVersionId: RAW, policyVersion, thresholds: { dpl: 0.1 }, scanner: { name: 'mgov-bias', version: '1.0.0' }, report: biasOf(rates), metadata,
  });
  const eligible = (gate: string) => ({ type: 'DatasetVersionClearedForTraining' as const, data: { datasetVersionId: RAW, gate, policyVersion: 'privacy:3+bias:1' } });

  it('needs a privacy-cleared version', () => {
    spec.given([]).when(scan({ f: 0.5, m: 0.5 })).thenThrows('LINEAGE.DATASET_VERSION_NOT_FOUND');
    spec.given(registered()).when(scan({ f: 0.5, m: 0.5 })).thenThrows('LINEAGE.NOT_PRIVACY_CLEARED');
  });

  it('passes within the thresholds, and the version becomes eligible for training', () => {
    const events = datasetVersionDecider.decide(scan({ f: 0.5, m: 0.55 }), cleared.reduce(datasetVersionDecider.evolve, datasetVersionDecider.initialState()));
    expect(events.map((e) => e.type)).toEqual(['BiasScanPassed', 'DatasetVersionClearedForTraining']);
    expect(events[0]!.data).toMatchObject({ scannerName: 'mgov-bias', scannerVersion: '1.0.0', label: 'repaid', positive: 'yes', rows: 200, thresholds: { dpl: 0.1 } });
    expect(events[1]).toEqual(eligible('privacy-gate+bias-scan'));
  });

  it('flags a metric beyond its threshold, per group, and is not eligible', () => {
    const [flagged] = datasetVersionDecider.decide(scan({ f: 0.3, m: 0.7 }), cleared.reduce(datasetVersionDecider.evolve, datasetVersionDecider.initialState()));
    expect(flagged).toMatchObject({ type: 'BiasScanFlagged', data: { breaches: [
      { facet: 'sex', group: 'f', metric: 'dpl', value: expect.closeTo(0.4), threshold: 0.1 },
      { facet: 'sex', group: 'm', metric: 'dpl', value: expect.closeTo(-0.4), threshold: 0.1 },
    ] } });
  });

  it('flags a metric it cannot compute (one group only: no one to compare with)', () => {
    const [flagged] = datasetVersionDecider.decide(scan({ f: 0.5 }), cleared.reduce(datasetVersionDecider.evolve, datasetVersionDecider.initialState()));
    expect(flagged).toMatchObject({ type: 'BiasScanFlagged', data: { breaches: [{ facet: 'sex', group: 'f', metric: 'dpl', value: null }] } });
  });

  it('takes a waiver with a justification for a flagged scan only, which makes the version eligible', () => {
    const [flagged] = datasetVersionDecider.decide(scan({ f: 0.3, m: 0.7 }), cleared.reduce(datasetVersionDecider.evolve, datasetVersionDecider.initialState()));
    const justification = 'historical lending gap; the model is post-processed for parity';
    const waiver = { type: 'WaiveBiasScan' as const, datasetVersionId: RAW, justification, metadata };
    spec.given(cleared).when(waiver).thenThrows('LINEAGE.NO_FLAGGED_BIAS_SCAN');
    spec.given([...cleared, flagged!]).when({ ...waiver, justification: 'ok' }).thenThrows('LINEAGE.JUSTIFICATION_REQUIRED');
    spec.given([...cleared, flagged!]).when(waiver).then([
      { type: 'BiasScanWaived', data: { datasetVersionId: RAW, justification, policyVersion: 1, scannerVersion: '1.0.0' } }, eligible('privacy-gate+bias-waiver'),
    ]);
    spec.given([...cleared, flagged!, eligible('privacy-gate+bias-waiver')]).when(waiver).then([]);
    spec.given([...cleared, flagged!]).when(scan({ f: 0.3, m: 0.7 })).then([]);
  });
});

describe('dataset version: tampering', () => {
  it('records each different tampered content once', () => {
    const detected = { type: 'RecordTampering' as const, datasetVersionId: RAW, actualSha256: 'c'.repeat(64), detectedDuring: 'download', metadata };
    const fact = { type: 'DatasetVersionTamperingDetected' as const, data: { datasetVersionId: RAW, actualSha256: 'c'.repeat(64), detectedDuring: 'download' } };
    spec.given(registered()).when(detected).then([fact]);
    spec.given([...registered(), fact]).when(detected).then([]);
    spec.given([]).when(detected).thenThrows('LINEAGE.DATASET_VERSION_NOT_FOUND');
  });
});

describe('dataset version: a source license revoked upstream', () => {
  const revoke = { type: 'RevokeTrainingEligibility' as const, datasetVersionId: RAW, reason: 'license of source crm revoked', sourceIds: ['crm'], metadata };
  const revoked = { type: 'DatasetVersionTrainingEligibilityRevoked' as const, data: { datasetVersionId: RAW, reason: 'license of source crm revoked', sourceIds: ['crm'] } };
  const cleared = [...registered(), { type: 'PrivacyCleared' as const, data: { datasetVersionId: RAW, rawVersionId: RAW, datasetName: 'loans', policyVersion: 3, keyId: null, rowsScanned: 200, quasiIdentifiers: [], k: null, policyK: 5 } }];

  it('given any registered version, when its eligibility is revoked, then that is recorded once', () => {
    spec.given(registered()).when(revoke).then([revoked]);
    spec.given([...registered(), revoked]).when(revoke).then([]);
    spec.given([]).when(revoke).thenThrows('LINEAGE.DATASET_VERSION_NOT_FOUND');
  });

  it('given a revoked version, then no bias scan or waiver can clear it for training again', () => {
    const scan = { type: 'RecordBiasScan' as const, datasetVersionId: RAW, policyVersion: 1, thresholds: { dpl: 0.1 }, scanner: { name: 'mgov-bias', version: '1.0.0' }, report: biasOf({ f: 0.5, m: 0.5 }), metadata };
    spec.given([...cleared, revoked]).when(scan).thenThrows('LINEAGE.ELIGIBILITY_REVOKED');
    spec.given([...cleared, revoked]).when({ type: 'WaiveBiasScan', datasetVersionId: RAW, justification: 'a long enough justification for the record', metadata })
      .thenThrows('LINEAGE.ELIGIBILITY_REVOKED');
  });
});
