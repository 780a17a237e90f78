import { equalWidthEdges, profileColumns } from './profile-columns';

describe('profileColumns', () => {
  it('profiles numbers and numeric text as a numeric column of 10 equal-width bins', () => {
    const rows = Array.from({ length: 11 }, (_, i) => ({ income: i % 2 === 0 ? i * 10 : String(i * 10) }));
    const [income] = profileColumns(rows);
    expect(income).toMatchObject({ name: 'income', kind: 'numeric', count: 11, missing: 0, categoryCounts: {} });
    expect(income!.binEdges).toHaveLength(9);
    expect(income!.binEdges[0]).toBeCloseTo(10);
    expect(income!.binEdges[8]).toBeCloseTo(90);
    // 0 in the first bin, 10..90 one each, and the maximum 100 with 90 in the last.
    expect(income!.binCounts).toEqual([1, 1, 1, 1, 1, 1, 1, 1, 1, 2]);
  });

  it('counts null, absent, blank and NaN as missing', () => {
    const [age] = profileColumns([{ age: 1 }, { age: null }, {}, { age: ' ' }, { age: NaN }, { age: 3 }]);
    expect(age).toMatchObject({ kind: 'numeric', count: 2, missing: 4 });
    expect(age!.binCounts.reduce((a, b) => a + b)).toBe(2);
  });

  it('treats any non-numeric value as making the column categorical', () => {
    const [region] = profileColumns([{ region: 'north' }, { region: 'south' }, { region: 'north' }, { region: 7 }, { region: '0x10' }]);
    expect(region).toEqual({
      name: 'region', kind: 'categorical', count: 5, missing: 0, binEdges: [], binCounts: [],
      categoryCounts: { north: 2, south: 1, '7': 1, '0x10': 1 },
    });
  });

  it('gives a constant column a narrow band so any departure shows', () => {
    const [flag] = profileColumns([{ flag: 5 }, { flag: '5' }]);
    expect(flag!.binEdges).toHaveLength(2);
    expect(flag!.binEdges[0]).toBeLessThan(5);
    expect(flag!.binEdges[1]).toBeGreaterThan(5);
    expect(flag!.binCounts).toEqual([0, 2, 0]);
  });

  it('keeps a category named like an object prototype key as plain data', () => {
    const [odd] = profileColumns([{ odd: '__proto__' }, { odd: 'constructor' }]);
    expect(Object.entries(odd!.categoryCounts)).toEqual([['__proto__', 1], ['constructor', 1]]);
  });

  it('profiles the named columns in order, and honours the bin count', () => {
    const rows = [{ a: 1, b: 'x' }, { a: 2, b: 'y' }];
    expect(profileColumns(rows, { columns: ['b', 'missing'] }).map((c) => [c.name, c.kind, c.missing])).toEqual([
      ['b', 'categorical', 0],
      ['missing', 'categorical', 2],
    ]);
    expect(profileColumns(rows, { bins: 4 })[0]!.binEdges).toEqual([1.25, 1.5, 1.75]);
  });

  it('does not overflow on extreme ranges', () => {
    expect(equalWidthEdges(-1e308, 1e308, 2)).toEqual([0]);
  });
});
