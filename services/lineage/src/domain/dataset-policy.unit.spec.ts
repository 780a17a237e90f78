import { deciderSpec } from '@mgov/testing';
import { datasetPolicyDecider, declaredColumns, type PrivacyPolicy } from './dataset-policy';
import { metadata } from './dataset-version.fixture';

const spec = deciderSpec(datasetPolicyDecider);
const privacy = {
  quasiIdentifiers: ['age', 'zip'], pseudonymize: ['customer_id'], generalize: { age: { kind: 'bucket', width: 10 }, zip: { kind: 'truncate', keep: 3, pad: true } },
  suppress: [], drop: ['email'], k: 5,
} as PrivacyPolicy;
const privacySet = (policyVersion: number, k = 5) => ({
  type: 'DatasetPrivacyPolicySet' as const,
  data: {
    datasetName: 'loans', policyVersion, quasiIdentifiers: ['age', 'zip'], pseudonymize: ['customer_id'], suppress: [], drop: ['email'], k,
    generalize: [
      { column: 'age', kind: 'bucket', width: 10, top: null, to: null, keep: null, pad: null },
      { column: 'zip', kind: 'truncate', width: null, top: null, to: null, keep: 3, pad: true },
    ],
  },
});
const setPrivacy = (policy: Partial<PrivacyPolicy>) => ({ type: 'SetPrivacyPolicy' as const, datasetName: 'loans', policy: policy as PrivacyPolicy, metadata });

describe('dataset policy: privacy', () => {
  it('records a policy as version 1, then each change as the next version; the same policy again is no change', () => {
    spec.given([]).when(setPrivacy(privacy)).then([privacySet(1)]);
    spec.given([privacySet(1)]).when(setPrivacy({ ...privacy, generalize: { zip: { kind: 'truncate', pad: true, keep: 3 }, age: { width: 10, kind: 'bucket' } } })).then([]);
    spec.given([privacySet(1)]).when(setPrivacy({ ...privacy, k: 10 })).then([privacySet(2, 10)]);
  });

  it('defaults k to 5 and every list to empty', () => {
    spec.given([]).when(setPrivacy({ quasiIdentifiers: ['zip'] })).then([{
      type: 'DatasetPrivacyPolicySet', data: { datasetName: 'loans', policyVersion: 1, quasiIdentifiers: ['zip'], pseudonymize: [], generalize: [], suppress: [], drop: [], k: 5 },
    }]);
  });

  it('refuses a malformed policy, saying what is wrong', () => {
    spec.given([]).when(setPrivacy({ ...privacy, k: 0 })).thenThrows('LINEAGE.INVALID_POLICY');
    spec.given([]).when(setPrivacy({ ...privacy, quasiIdentifiers: ['age', 'email'] })).thenThrows('LINEAGE.INVALID_POLICY');
    spec.given([]).when(setPrivacy({ ...privacy, pseudonymize: 'email' as never })).thenThrows('LINEAGE.INVALID_POLICY');
    spec.given([]).when(setPrivacy({ ...privacy, suppress: ['customer_id'] })).thenThrows('PRIVACY.INVALID_TREATMENT');
    spec.given([]).when(setPrivacy({ ...privacy, generalize: { age: { kind: 'round' } as never } })).thenThrows('PRIVACY.INVALID_TREATMENT');
  });

  it('lists every column a policy names, for checking against a schema', () => {
    expect(declaredColumns({ privacy, bias: { protectedAttributes: ['sex'], label: 'repaid', positive: 'yes', thresholds: { dpl: 0.1 } } }))
      .toEqual(['age', 'zip', 'customer_id', 'email', 'sex', 'repaid']);
  });
});

describe('dataset policy: bias', () => {
  const setBias = (policy: object) => ({ type: 'SetBiasPolicy' as const, datasetName: 'loans', policy: policy as never, metadata });
  const biasSet = { type: 'DatasetBiasPolicySet' as const, data: { datasetName: 'loans', policyVersion: 1, protectedAttributes: ['sex'], label: 'repaid', positive: 'yes', thresholds: { dpl: 0.1 } } };

  it('defaults the thresholds to |dpl| ≤ 0.1', () => {
    spec.given([]).when(setBias({ protectedAttributes: ['sex'], label: 'repaid', positive: 'yes' })).then([biasSet]);
    spec.given([biasSet]).when(setBias({ protectedAttributes: ['sex'], label: 'repaid', positive: 'yes', thresholds: { dpl: 0.1 } })).then([]);
  });

  it('refuses unknown metrics, bad thresholds and a label that is also a protected attribute', () => {
    for (const policy of [
      { protectedAttributes: ['sex'], label: 'repaid', positive: 'yes', thresholds: { accuracy: 0.1 } },
      { protectedAttributes: ['sex'], label: 'repaid', positive: 'yes', thresholds: { dpl: -1 } },
      { protectedAttributes: ['sex'], label: 'repaid', positive: 'yes', thresholds: {} },
      { protectedAttributes: ['repaid'], label: 'repaid', positive: 'yes' },
      { protectedAttributes: [], label: 'repaid', positive: 'yes' },
      { protectedAttributes: ['sex'], label: 'repaid', positive: '' },
    ]) spec.given([]).when(setBias(policy)).thenThrows('LINEAGE.INVALID_POLICY');
  });
});
