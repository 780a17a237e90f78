import { deciderSpec } from '@mgov/testing';
import { metadata } from './dataset-version.fixture';
import { pseudonymizationKeyDecider } from './pseudonymization-key';

const spec = deciderSpec(pseudonymizationKeyDecider);
const use = (keyId: string) => ({ type: 'UsePseudonymizationKey' as const, keyId, keySource: 'file', metadata });
const activated = (keyId: string, previousKeyId: string | null) => ({ type: 'PseudonymizationKeyActivated' as const, data: { keyId, previousKeyId, keySource: 'file' } });

describe('pseudonymization key', () => {
  it('records the first key, each rotation with the key it replaced, and nothing while the key stays', () => {
    spec.given([]).when(use('k1')).then([activated('k1', null)]);
    spec.given([activated('k1', null)]).when(use('k1')).then([]);
    spec.given([activated('k1', null)]).when(use('k2')).then([activated('k2', 'k1')]);
  });
});
