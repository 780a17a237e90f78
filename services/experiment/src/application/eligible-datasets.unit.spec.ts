import { ineligibility } from './eligible-datasets';

const gates = (privacy: string | null, bias: string | null, eligible = false) => ({ datasetVersionId: 'd', privacy, bias, eligible });

describe('why a dataset version may not be trained on', () => {
  it('names the gate it is missing, in the order a version passes them', () => {
    expect(ineligibility(undefined)).toMatch(/not been cleared by the privacy gate/);
    expect(ineligibility(gates(null, null))).toMatch(/not been cleared by the privacy gate/);
    expect(ineligibility(gates('rejected', null))).toBe('the privacy gate rejected it');
    expect(ineligibility(gates('cleared', null))).toBe('it has no passed bias scan yet');
    expect(ineligibility(gates('cleared', 'flagged'))).toBe('its bias scan was flagged and has not been waived');
  });

  it('says a revoked version is not eligible, even after its gates passed', () => {
    expect(ineligibility({ ...gates('cleared', 'passed', true), revoked: 'license of source s1 revoked' })).toBe('its training eligibility was revoked: license of source s1 revoked');
  });

  it('has nothing to say about an eligible version', () => {
    expect(ineligibility(gates('cleared', 'passed', true))).toBeNull();
    expect(ineligibility(gates('cleared', 'waived', true))).toBeNull();
  });
});
