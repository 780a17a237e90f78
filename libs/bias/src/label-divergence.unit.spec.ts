import { kl, js, ks, labelDistributions, lp, tvd } from './label-divergence';

describe('label divergences', () => {
  it('are all zero for identical distributions', () => {
    const same = { a: [0.2, 0.3, 0.5], d: [0.2, 0.3, 0.5] };
    expect([kl(same), js(same), lp(same), tvd(same), ks(same)]).toEqual([0, 0, 0, 0, 0]);
  });

  it('reach their maxima for disjoint distributions: js = ln 2, tvd = 1, and kl is infinite (null)', () => {
    const disjoint = { a: [1, 0], d: [0, 1] };
    expect(js(disjoint)).toBeCloseTo(Math.LN2, 12);
    expect([kl(disjoint), lp(disjoint), tvd(disjoint), ks(disjoint)]).toEqual([null, Math.SQRT2, 1, 1]);
  });

  it('count 0·ln 0 as 0, so a value missing from a but present in d leaves kl finite', () => {
    expect(kl({ a: [1, 0], d: [0.5, 0.5] })).toBeCloseTo(Math.LN2, 12);
  });

  it('have no distributions when a side has no rows', () => {
    expect(labelDistributions(['x'], new Map(), 0, new Map([['x', 2]]), 2)).toBeNull();
    expect(labelDistributions(['x', 'y'], new Map([['x', 1]]), 4, new Map([['y', 2]]), 2)).toEqual({ a: [0.25, 0], d: [0, 1] });
  });
});
