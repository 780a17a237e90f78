import { chiSquare, jensenShannon, kolmogorovSmirnov, psi, PSI_EPSILON } from './drift-metrics';

describe('drift metrics', () => {
  it('PSI is 0 for the same distribution at any sample size', () => {
    expect(psi([10, 20, 30], [1, 2, 3])).toBeCloseTo(0, 12);
  });

  it('PSI matches a hand-computed case', () => {
    // (0.25-0.5)·ln(0.25/0.5) + (0.75-0.5)·ln(0.75/0.5)
    expect(psi([50, 50], [25, 75])).toBeCloseTo(0.25 * Math.log(2) + 0.25 * Math.log(1.5), 12);
  });

  it('PSI floors an empty bin at epsilon instead of going infinite', () => {
    const value = psi([100, 0], [0, 100]);
    expect(value).toBeCloseTo(2 * (1 - PSI_EPSILON) * Math.log(1 / PSI_EPSILON), 9);
  });

  it('Jensen–Shannon is 0 for the same, 1 for disjoint, and matches a hand-computed case', () => {
    expect(jensenShannon([3, 1], [30, 10])).toBeCloseTo(0, 12);
    expect(jensenShannon([5, 0, 0], [0, 2, 7])).toBe(1);
    // M = (0.75, 0.25): ½[0.5·log2(0.5/0.75) + 0.5·log2(0.5/0.25)] + ½[log2(1/0.75)]
    const expected = 0.5 * (0.5 * Math.log2(0.5 / 0.75) + 0.5) + 0.5 * Math.log2(1 / 0.75);
    expect(jensenShannon([1, 1], [1, 0])).toBeCloseTo(expected, 12);
  });

  it('KS is the largest gap between the cumulative distributions', () => {
    expect(kolmogorovSmirnov([1, 1, 0, 0], [0, 0, 1, 1])).toBe(1);
    expect(kolmogorovSmirnov([1, 1, 1, 1], [2, 2, 2, 2])).toBe(0);
    expect(kolmogorovSmirnov([2, 1, 1], [1, 1, 2])).toBeCloseTo(0.25, 12);
  });

  it('chi-square matches a hand-computed 2×2 table', () => {
    // Expected 15 in every cell: 4 · 25/15; p = erfc(√(χ²/2)) for one degree of freedom.
    const result = chiSquare([10, 20], [20, 10]);
    expect(result.statistic).toBeCloseTo(20 / 3, 12);
    expect(result.degreesOfFreedom).toBe(1);
    expect(result.pValue).toBeCloseTo(0.0098233, 6);
  });

  it('chi-square drops bins empty on both sides and has nothing to test with one bin', () => {
    expect(chiSquare([10, 0, 10], [10, 0, 10])).toEqual({ statistic: 0, degreesOfFreedom: 1, pValue: 1 });
    expect(chiSquare([5, 0], [7, 0])).toEqual({ statistic: 0, degreesOfFreedom: 0, pValue: 1 });
    // 1 - cdf would round this to 0; the survival function keeps it (≈ 2e-45).
    expect(chiSquare([100, 0], [0, 100]).pValue).toBeGreaterThan(0);
    expect(chiSquare([100, 0], [0, 100]).pValue).toBeLessThan(1e-40);
  });

  it('refuses vectors of different lengths or with no counts', () => {
    expect(() => psi([1, 2], [1, 2, 3])).toThrow(RangeError);
    expect(() => jensenShannon([0, 0], [1, 1])).toThrow(/all zero/);
    expect(() => kolmogorovSmirnov([1, -1], [1, 1])).toThrow(/non-negative/);
  });
});
