import { biasAccumulator, biasReport, type BiasReport, type GroupReport } from './bias-report';

const ln = Math.log;

/** Every metric within 1e-9 of its hand-computed value; null only where null is expected. */
function expectMetrics(actual: GroupReport | Record<string, unknown>, expected: Record<string, number | null>): void {
  for (const [name, value] of Object.entries(expected)) {
    const got = (actual as Record<string, unknown>)[name];
    if (value === null) expect([name, got]).toEqual([name, null]);
    else {
      expect([name, typeof got]).toEqual([name, 'number']);
      expect([name, Math.abs((got as number) - value) <= 1e-9]).toEqual([name, true]);
    }
  }
}

function report(rows: Record<string, unknown>[], options: Parameters<typeof biasAccumulator>[0]): BiasReport {
  const accumulator = biasAccumulator(options);
  for (const row of rows) accumulator.add(row);
  return accumulator.report();
}

// sex F: 1 yes, 3 no; sex M: 4 yes, 2 no.
const LOANS = [
  ...['yes', 'no', 'no', 'no'].map((approved) => ({ sex: 'F', approved })),
  ...['yes', 'yes', 'yes', 'yes', 'no', 'no'].map((approved) => ({ sex: 'M', approved })),
];

describe('bias report: label metrics', () => {
  const result = report(LOANS, { label: 'approved', positive: 'yes', protected: ['sex'] });

  it('has the shape of `mgov bias --format json`, without the prediction keys', () => {
    expect(Object.keys(result)).toEqual(['rows', 'label', 'positive', 'facets']);
    expect(result).toMatchObject({ rows: 10, label: 'approved', positive: 'yes' });
    expect(Object.keys(result.facets['sex']!)).toEqual(['groups']);
    expect(Object.keys(result.facets['sex']!.groups['F']!)).toEqual(['count', 'ci', 'dpl', 'kl', 'js', 'lp', 'tvd', 'ks']);
  });

  it('computes each group against every other row (F: Pd = [3/4, 1/4], Pa = [1/3, 2/3] over no, yes)', () => {
    const F = result.facets['sex']!.groups['F']!;
    expect(F.count).toBe(4);
    expectMetrics(F, {
      ci: (6 - 4) / 10,
      dpl: 4 / 6 - 1 / 4,
      kl: (1 / 3) * ln(1 / 3 / (3 / 4)) + (2 / 3) * ln(2 / 3 / (1 / 4)),
      js: 0.5 * ((1 / 3) * ln(1 / 3 / (13 / 24)) + (2 / 3) * ln(2 / 3 / (11 / 24))) + 0.5 * ((3 / 4) * ln(3 / 4 / (13 / 24)) + (1 / 4) * ln(1 / 4 / (11 / 24))),
      lp: (5 / 12) * Math.SQRT2,
      tvd: 5 / 12,
      ks: 5 / 12,
    });
    // The same numbers from Python, computed apart from this code.
    expectMetrics(F, { kl: 0.38357609660237457, js: 0.09024627190021622, lp: 0.5892556509887896 });
  });

  it('is antisymmetric in ci and dpl and asymmetric in kl between the two sides', () => {
    const M = result.facets['sex']!.groups['M']!;
    expectMetrics(M, { ci: -0.2, dpl: 1 / 4 - 4 / 6, kl: (3 / 4) * ln(9 / 4) + (1 / 4) * ln(3 / 8), js: result.facets['sex']!.groups['F']!.js, tvd: 5 / 12, ks: 5 / 12 });
    expectMetrics(M, { kl: 0.36299034890931503 });
  });

  it('takes the distributions over every label value, not just positive and the rest', () => {
    // d: a, a, b, c; the others: a, b, b, c, c, c. Positive is a.
    const rows = [...['a', 'a', 'b', 'c'].map((y) => ({ g: 'd', y })), ...['a', 'b', 'b', 'c', 'c', 'c'].map((y) => ({ g: 'o', y }))];
    const d = report(rows, { label: 'y', positive: 'a', protected: ['g'] }).facets['g']!.groups['d']!;
    expectMetrics(d, { ci: 0.2, dpl: 1 / 6 - 2 / 4, kl: 0.25936556631921465, js: 0.06782778870548349, lp: 0.42491829279939874, tvd: 1 / 3, ks: 1 / 3 });
  });
});

// (group, label, prediction). A: TP 2, FN 1, FP 1, TN 1. B: TP 1, FN 0, FP 1, TN 2. C: no positives, TN 3.
const SCORED = (
  [
    ['A', 1, 1], ['A', 1, 1], ['A', 1, 0], ['A', 0, 1], ['A', 0, 0],
    ['B', 1, 1], ['B', 0, 0], ['B', 0, 0], ['B', 0, 1],
    ['C', 0, 0], ['C', 0, 0], ['C', 0, 0],
  ] as const
).map(([g, y, p]) => ({ g, y, p }));

describe('bias report: prediction metrics', () => {
  const result = report(SCORED, { label: 'y', positive: '1', protected: ['g'], prediction: 'p' });
  const groups = result.facets['g']!.groups;

  it('adds the prediction keys to every group and the facet', () => {
    expect(Object.keys(groups['A']!)).toEqual(['count', 'ci', 'dpl', 'kl', 'js', 'lp', 'tvd', 'ks', 'selection_rate', 'dppl', 'di', 'recall_difference', 'accuracy_difference']);
    expect(Object.keys(result.facets['g']!)).toEqual(['groups', 'demographic_parity_difference', 'demographic_parity_ratio', 'equalized_odds_difference']);
  });

  it('computes A against B ∪ C (TP 1, FN 0, FP 1, TN 5)', () => {
    expectMetrics(groups['A']!, { selection_rate: 3 / 5, dppl: 2 / 7 - 3 / 5, di: 3 / 5 / (2 / 7), recall_difference: 1 - 2 / 3, accuracy_difference: 6 / 7 - 3 / 5 });
  });

  it('computes B against A ∪ C (TP 2, FN 1, FP 1, TN 4)', () => {
    expectMetrics(groups['B']!, { selection_rate: 1 / 2, dppl: 3 / 8 - 1 / 2, di: 1 / 2 / (3 / 8), recall_difference: 2 / 3 - 1, accuracy_difference: 0 });
  });

  it('gives a group with no positive labels no recall (null), and an infinite KL as null', () => {
    expectMetrics(groups['C']!, {
      ci: 0.5,
      dpl: 4 / 9,
      kl: null,
      js: 0.5 * ((5 / 9) * ln(5 / 7) + (4 / 9) * ln(2)) + 0.5 * ln(9 / 7),
      lp: (4 / 9) * Math.SQRT2,
      tvd: 4 / 9,
      ks: 4 / 9,
      selection_rate: 0,
      dppl: 5 / 9,
      di: 0,
      recall_difference: null,
      accuracy_difference: 2 / 3 - 1,
    });
  });

  it('agrees with Amazon smclarify 0.5 wherever both sides have every label value and a recall', () => {
    expectMetrics(groups['A']!, { ci: 0.16666666666666666, dpl: -0.45714285714285713, kl: 0.4482508267131511, js: 0.11814762252964013, lp: 0.6464976285134149, tvd: 0.4571428571428571, ks: 0.45714285714285713, dppl: -0.3142857142857143, di: 2.1, recall_difference: 0.33333333333333337, accuracy_difference: 0.2571428571428571 });
    expectMetrics(groups['B']!, { ci: 0.3333333333333333, dpl: 0.125, kl: 0.03809844254434003, js: 0.009137183166849885, lp: 0.1767766952966369, tvd: 0.125, ks: 0.125, dppl: -0.125, di: 1.3333333333333333, recall_difference: -0.33333333333333337, accuracy_difference: 0 });
  });

  it('computes the facet metrics over all groups, leaving an undefined TPR out of its spread', () => {
    // Selection rates 3/5, 1/2, 0; TPR 2/3, 1, (none); FPR 1/2, 1/3, 0.
    expectMetrics(result.facets['g']!, { demographic_parity_difference: 3 / 5, demographic_parity_ratio: 0, equalized_odds_difference: Math.max(1 - 2 / 3, 1 / 2) });
  });

  it('gives no disparate impact when the other rows have no positive prediction, and no parity ratio when nobody does', () => {
    const onlyX = report([{ g: 'x', y: '1', p: '1' }, { g: 'y', y: '1', p: '0' }], { label: 'y', positive: '1', protected: ['g'], prediction: 'p' });
    expectMetrics(onlyX.facets['g']!.groups['x']!, { di: null, dppl: -1 });
    expectMetrics(onlyX.facets['g']!.groups['y']!, { di: 0, dppl: 1 });
    const nobody = report([{ g: 'x', y: '1', p: '0' }, { g: 'y', y: '0', p: '0' }], { label: 'y', positive: '1', protected: ['g'], prediction: 'p' });
    expectMetrics(nobody.facets['g']!, { demographic_parity_difference: 0, demographic_parity_ratio: null, equalized_odds_difference: 0 });
  });
});

describe('bias report: edge cases and conventions', () => {
  it('with a single group, compares it with nothing: ci = −1, the rest null, facet spreads 0', () => {
    const result = report([{ g: 'only', y: '1', p: '1' }, { g: 'only', y: '0', p: '1' }], { label: 'y', positive: '1', protected: ['g'], prediction: 'p' });
    expectMetrics(result.facets['g']!.groups['only']!, { ci: -1, dpl: null, kl: null, js: null, lp: null, tvd: null, ks: null, selection_rate: 1, dppl: null, di: null, recall_difference: null, accuracy_difference: null });
    expectMetrics(result.facets['g']!, { demographic_parity_difference: 0, demographic_parity_ratio: 1, equalized_odds_difference: 0 });
  });

  it('gives a label without any positive row dpl 0', () => {
    const result = report([{ g: 'a', y: 'n' }, { g: 'b', y: 'n' }], { label: 'y', positive: 'yes', protected: ['g'] });
    expectMetrics(result.facets['g']!.groups['a']!, { ci: 0, dpl: 0, kl: 0, js: 0, lp: 0, tvd: 0, ks: 0 });
  });

  it('compares values as text: 1 and "1" are one value, a missing cell is ""', () => {
    const rows = [{ g: 1, y: 1 }, { g: '1', y: '1' }, { g: null, y: 0 }, { y: '' }, { g: ' ', y: null }];
    const result = report(rows, { label: 'y', positive: '1', protected: ['g'] });
    expect(Object.keys(result.facets['g']!.groups).sort()).toEqual(['', '1']);
    expect(result.facets['g']!.groups['1']!.count).toBe(2);
    expectMetrics(result.facets['g']!.groups['1']!, { dpl: -1, tvd: 1 });
  });

  it('scans several protected attributes in the same pass', () => {
    const rows = LOANS.map((row, i) => ({ ...row, age: i % 2 === 0 ? 'young' : 'old' }));
    const result = report(rows, { label: 'approved', positive: 'yes', protected: ['sex', 'age'] });
    expect(Object.keys(result.facets)).toEqual(['sex', 'age']);
    expect(result.facets['sex']).toEqual(report(LOANS, { label: 'approved', positive: 'yes', protected: ['sex'] }).facets['sex']);
    expect(result.facets['age']!.groups['old']!.count).toBe(5);
  });

  it('serialises to JSON with null for undefined metrics, and reads back unchanged', () => {
    const result = report(SCORED, { label: 'y', positive: '1', protected: ['g'], prediction: 'p' });
    const text = JSON.stringify(result);
    expect(text).not.toMatch(/NaN|Infinity/);
    expect(JSON.parse(text)).toEqual(result);
  });

  it('keeps a group value "__proto__" as a plain key', () => {
    const result = report([{ g: '__proto__', y: '1' }, { g: 'x', y: '0' }], { label: 'y', positive: '1', protected: ['g'] });
    expect(Object.keys(result.facets['g']!.groups)).toEqual(['__proto__', 'x']);
  });
});

describe('biasReport', () => {
  it('reads an async stream of rows once, like the accumulator', async () => {
    async function* stream() {
      yield* SCORED;
    }
    const options = { label: 'y', positive: '1', protected: ['g'], prediction: 'p' };
    expect(await biasReport(stream(), options)).toEqual(report(SCORED, options));
    expect(await biasReport(SCORED, options)).toEqual(report(SCORED, options));
  });

  it('refuses no rows, and a declared column no row has', async () => {
    await expect(biasReport([], { label: 'y', positive: '1', protected: ['g'] })).rejects.toMatchObject({ code: 'BIAS.NO_ROWS', status: 422 });
    await expect(biasReport(SCORED, { label: 'y', positive: '1', protected: ['g', 'race'], prediction: 'score' })).rejects.toMatchObject({
      code: 'BIAS.UNKNOWN_COLUMN',
      message: 'no row has column race, score; check the column names against the data',
    });
  });

  it('refuses a facet or label with too many distinct values, before memory runs out', async () => {
    const ids = Array.from({ length: 20 }, (_, i) => ({ id: String(i), y: String(i % 3) }));
    await expect(biasReport(ids, { label: 'y', positive: '1', protected: ['id'], maxGroups: 10 })).rejects.toMatchObject({ code: 'BIAS.TOO_MANY_VALUES', message: expect.stringContaining('protected column id has more than 10') });
    await expect(biasReport(ids, { label: 'id', positive: '1', protected: ['y'], maxLabelValues: 10 })).rejects.toMatchObject({ code: 'BIAS.TOO_MANY_VALUES', message: expect.stringContaining('label id has more than 10') });
  });

  it('refuses options it cannot use', () => {
    const bad = [
      { label: '', positive: '1', protected: ['g'] },
      { label: 'y', positive: '', protected: ['g'] },
      { label: 'y', positive: '1', protected: [] },
      { label: 'y', positive: '1', protected: ['y'] },
      { label: 'y', positive: '1', protected: ['g', 'g'] },
      { label: 'y', positive: '1', protected: ['g'], prediction: 'g' },
      { label: 'y', positive: '1', protected: ['g'], maxGroups: 0 },
    ];
    for (const options of bad) expect(() => biasAccumulator(options)).toThrow(expect.objectContaining({ code: 'BIAS.INVALID_OPTIONS', status: 400 }));
  });
});
