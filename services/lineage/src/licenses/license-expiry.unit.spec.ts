import { sourceDecider } from '@mgov/lineage-domain';
import { deciderSpec } from '@mgov/testing';
import { parseLicenseExpiry } from './license-expiry';

describe('a source license expiry', () => {
  it('is read from an ISO date, an ISO date-time or epoch milliseconds, and is null when absent', () => {
    expect(parseLicenseExpiry('2027-12-31')).toBe(Date.UTC(2027, 11, 31));
    expect(parseLicenseExpiry('2027-12-31T12:00:00+01:00')).toBe(Date.UTC(2027, 11, 31, 11));
    expect(parseLicenseExpiry(1_800_000_000_000)).toBe(1_800_000_000_000);
    for (const none of [undefined, null, '']) expect(parseLicenseExpiry(none)).toBeNull();
  });

  it('is refused with a stable code when it is no date', () => {
    for (const bad of ['next year', '31/12/2027', 1.5, true, {}]) {
      expect(() => parseLicenseExpiry(bad)).toThrow(expect.objectContaining({ code: 'LINEAGE.INVALID_LICENSE_EXPIRY', status: 400 }));
    }
  });

  it('is carried on SourceRegistered (v2), null when the license does not expire', () => {
    const metadata = { actor: { id: 'dana', role: 'data-steward' }, now: 1_790_000_000_000, correlationId: 'c' };
    const command = { type: 'RegisterSource' as const, sourceId: 'crm', name: 'CRM', kind: 'licensed-public' as const, license: 'CC-BY-4.0', owner: 'o', personalDataColumns: [], metadata };
    const data = { sourceId: 'crm', name: 'CRM', kind: 'licensed-public', license: 'CC-BY-4.0', owner: 'o', personalDataColumns: [] };
    deciderSpec(sourceDecider).given([]).when({ ...command, licenseExpiresAt: 1_800_000_000_000 })
      .then([{ type: 'SourceRegistered', data: { ...data, licenseExpiresAt: 1_800_000_000_000 } }]);
    deciderSpec(sourceDecider).given([]).when(command).then([{ type: 'SourceRegistered', data: { ...data, licenseExpiresAt: null } }]);
  });
});
