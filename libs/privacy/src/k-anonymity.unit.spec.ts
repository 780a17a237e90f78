import { kAnonymityCounter, type KAnonymityOptions } from './k-anonymity';

function measure(rows: Record<string, unknown>[], options: KAnonymityOptions) {
  const counter = kAnonymityCounter(options);
  for (const row of rows) counter.add(row);
  return counter.result();
}

// Classes by (age, zip): 30-39|021** ×3, 40-49|021** ×2, 30-39|945** ×1, 40-49|(missing) ×1.
const ROWS = [
  { age: '30-39', zip: '021**', label: 1 },
  { age: '30-39', zip: '021**', label: 0 },
  { age: '30-39', zip: '021**', label: 1 },
  { age: '40-49', zip: '021**', label: 0 },
  { age: '40-49', zip: '021**', label: 1 },
  { age: '30-39', zip: '945**', label: 0 },
  { age: '40-49', zip: '', label: 1 },
];

describe('kAnonymityCounter', () => {
  it('measures k as the smallest class, and counts the classes and rows below the policy k', () => {
    expect(measure(ROWS, { quasiIdentifiers: ['age', 'zip'], policyK: 3 })).toEqual({
      status: 'measured',
      rows: 7,
      k: 1,
      policyK: 3,
      classes: 4,
      classesBelowPolicyK: 3,
      rowsBelowPolicyK: 4,
      worstClasses: [
        { values: { age: '30***', zip: '94***' }, size: 1 },
        { values: { age: '40***', zip: null }, size: 1 },
        { values: { age: '40***', zip: '02***' }, size: 2 },
        { values: { age: '30***', zip: '02***' }, size: 3 },
      ],
      absentColumns: [],
    });
  });

  it('orders the worst classes by size and keeps only as many as asked', () => {
    const result = measure(ROWS, { quasiIdentifiers: ['age', 'zip'], worstCount: 2 });
    expect(result).toMatchObject({ policyK: 5, classesBelowPolicyK: 4, rowsBelowPolicyK: 7 });
    expect(result.status === 'measured' && result.worstClasses.map((c) => c.size)).toEqual([1, 1]);
  });

  it('reaches the policy k once the quasi-identifiers are coarse enough', () => {
    const result = measure(ROWS, { quasiIdentifiers: ['age'], policyK: 3 });
    expect(result).toMatchObject({ k: 3, classes: 2, classesBelowPolicyK: 0, rowsBelowPolicyK: 0 });
  });

  it('compares values as text, so 30 and "30" share a class, and a missing value is a class of its own', () => {
    expect(measure([{ a: 30 }, { a: '30' }, { a: null }, {}, { a: '' }], { quasiIdentifiers: ['a'], policyK: 2 })).toMatchObject({ k: 2, classes: 2 });
  });

  it('reports declared quasi-identifiers that no row has', () => {
    expect(measure(ROWS, { quasiIdentifiers: ['age', 'zipcode'] })).toMatchObject({ absentColumns: ['zipcode'] });
  });

  it('has no k for no rows', () => {
    expect(measure([], { quasiIdentifiers: ['a'] })).toMatchObject({ status: 'measured', rows: 0, k: null, classes: 0, worstClasses: [], absentColumns: [] });
  });

  it('stops tracking past maxClasses and says the data has too many distinct combinations', () => {
    const rows = Array.from({ length: 10 }, (_, i) => ({ id: String(i % 4) }));
    expect(measure(rows, { quasiIdentifiers: ['id'], maxClasses: 4 })).toMatchObject({ status: 'measured', k: 2 });
    expect(measure(rows, { quasiIdentifiers: ['id'], maxClasses: 3 })).toEqual({ status: 'too-many-classes', rows: 10, policyK: 5, maxClasses: 3 });
  });

  it('refuses options it cannot use', () => {
    for (const options of [{ quasiIdentifiers: [] }, { quasiIdentifiers: ['a', 'a'] }, { quasiIdentifiers: ['a'], policyK: 0 }, { quasiIdentifiers: ['a'], maxClasses: 1.5 }, { quasiIdentifiers: ['a'], worstCount: -1 }]) {
      expect(() => kAnonymityCounter(options)).toThrow(expect.objectContaining({ code: 'PRIVACY.INVALID_K_ANONYMITY_OPTIONS', status: 400 }));
    }
  });
});
