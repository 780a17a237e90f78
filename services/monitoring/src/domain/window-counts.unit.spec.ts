import type { ColumnProfile } from '@mgov/contracts';
import { equalWidthEdges, profileColumns } from '@mgov/stats';
import {
  categoryCountsOf, countPrediction, countsInCurrentShape, emptyCounts, emptyObservation, layoutOf, MISSING, numericBins, numericCountsOf, UNSEEN, type WindowCounts,
} from './window-counts';

/** A numeric-only layout with the given bin edges. */
function layoutWithEdges(edges: number[]) {
  const column = { name: 'x', kind: 'numeric', binEdges: edges } as unknown as ColumnProfile;
  return layoutOf([column]);
}

/** The double next to `x` towards +∞ (`direction` 1) or −∞ (-1): one unit in the last place away. */
function nextDouble(x: number, direction: 1 | -1): number {
  if (x === 0) return direction * Number.MIN_VALUE;
  const bits = new Float64Array([x]);
  const view = new BigInt64Array(bits.buffer);
  view[0] = view[0]! + BigInt((x > 0 ? 1 : -1) * direction);
  return bits[0]!;
}

/** The bin each value is counted in (the index of the one bin that went up). */
function binsOf(edges: number[], values: number[]): number[] {
  const layout = layoutWithEdges(edges);
  return values.map((value) => {
    const counts = emptyCounts(layout);
    const observation = emptyObservation(layout);
    observation.numeric[0] = value;
    countPrediction(counts, layout, observation, '1');
    return numericCountsOf(counts, layout, 0).indexOf(1);
  });
}

describe('numeric bins of a window (the training profile convention: bin i is [edges[i-1], edges[i]))', () => {
  it.each([
    ['equally spaced edges (found by arithmetic)', [10, 20, 30]],
    ['few unequal edges (counted by a scan)', [10, 20, 30, 45]],
    ['many unequal edges (binary search)', Array.from({ length: 40 }, (_, i) => (i + 1) * 10 + (i > 3 ? i % 3 : 0))],
  ])('puts values below, on and between the edges in the same bins with %s', (_name, edges) => {
    // Given values below the first edge, on each edge, between edges and above the last
    const last = edges[edges.length - 1]!;
    const values = [-1, 10, 15, 20, 29.999, 30, last, last + 1, 1e308, -1e308];

    // When each is counted
    const bins = binsOf(edges, values);

    // Then a value on an edge opens the next bin, and the last bin takes everything from the last edge on
    const expected = values.map((v) => edges.filter((e) => e <= v).length);
    expect(bins).toEqual(expected);
    expect(bins.slice(0, 6)).toEqual([0, 1, 1, 2, 2, 3]);
  });

  it('counts a missing value in the bin after the last edge\'s, not in a data bin', () => {
    const edges = [10, 20, 30];
    expect(binsOf(edges, [Number.NaN])).toEqual([edges.length + 1]);
  });

  it('keeps repeated edges (a feature with few distinct values) consistent between both ways of binning', () => {
    // Given edges with repeats, as quantiles of a feature with few distinct values give
    const few = [1, 1, 1, 2, 2, 3];
    const many = [...few, ...Array.from({ length: 20 }, (_, i) => 4 + i)];

    // Then a value on a repeated edge is past all its copies, by the scan and by the binary search alike
    expect(binsOf(few, [0, 1, 2, 2.5, 3])).toEqual([0, 3, 5, 5, 6]);
    expect(binsOf(many, [0, 1, 2, 2.5, 3])).toEqual([0, 3, 5, 5, 6]);
  });

  it('finds the bin of every value exactly on equally spaced edges whose floating-point spacing is uneven', () => {
    // Given equal-width edges as training profiles make them, over awkward ranges (0.1 steps, large offsets, tiny spans)
    const ranges: Array<[number, number, number]> = [[0, 1, 10], [-3.3, 7.7, 10], [1e9, 1e9 + 0.7, 7], [-1e-7, 3e-7, 13], [0.1, 0.30000000000000004, 20]];
    let seed = 7;
    const random = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
    for (const [min, max, bins] of ranges) {
      const edges = equalWidthEdges(min, max, bins);
      expect(numericBins('x', edges).inverseStep).toBeGreaterThan(0);
      // Values on each edge, one double either side of it, and random values in and beyond the range
      const onAndBeside = edges.flatMap((e) => [e, nextDouble(e, -1), nextDouble(e, 1), e - Math.abs(e) * Number.EPSILON, e + Math.abs(e) * Number.EPSILON]);
      const spread = Array.from({ length: 2000 }, () => min - (max - min) * 0.2 + random() * (max - min) * 1.4);
      const values = [...onAndBeside, ...spread, min, max];

      // When each is counted, then it lands where counting the edges at or below it says
      expect(binsOf(edges, values)).toEqual(values.map((v) => edges.filter((e) => e <= v).length));
    }
  });

  it('finds the bin of every value exactly on edges a little off an equal spacing, near each edge too', () => {
    // Given edges within the tolerated 1% of a step of an equal spacing (a profile's rounding, say)
    const edges = [0, 1.004, 1.996, 3.009, 4, 4.992, 6.001, 7];
    expect(numericBins('x', edges).inverseStep).toBeGreaterThan(0);
    // Values on, just below and just above each edge and each whole step, and between them
    const values = edges.flatMap((e, i) => [e, e - 1e-9, e + 1e-9, i, i - 0.003, i + 0.003, i + 0.5, i - 0.011, i + 0.011]);
    expect(binsOf(edges, values)).toEqual(values.map((v) => edges.filter((e) => e <= v).length));
  });

  it('finds bins by arithmetic only on equally spaced edges', () => {
    expect(numericBins('x', [0, 1, 2, 3]).inverseStep).toBe(1);
    expect(numericBins('x', [0, 1, 2.5, 3]).inverseStep).toBe(0);
    expect(numericBins('x', [1, 1, 1]).inverseStep).toBe(0);
    expect(numericBins('x', [5]).inverseStep).toBe(0);
  });
});

describe('numeric counts of a window, one array for all features', () => {
  const layout = layoutOf(profileColumns(Array.from({ length: 400 }, (_, i) => ({ income: (i * 37) % 1_000, age: 18 + (i % 60), region: ['n', 's'][i % 2]! }))));
  const counted = () => {
    const counts = emptyCounts(layout);
    const observation = emptyObservation(layout);
    const regions: Array<[number, string]> = [[0, ''], [UNSEEN, 'east'], [1, ''], [MISSING, '']];
    [[5, 20], [990, Number.NaN], [500, 70], [Number.NaN, 19]].forEach(([income, age], i) => {
      observation.numeric[0] = income!;
      observation.numeric[1] = age!;
      [observation.category[0], observation.unseen[0]] = regions[i]!;
      countPrediction(counts, layout, observation, '1');
    });
    return counts;
  };

  it('keeps each feature\'s bins, categories and missing count apart', () => {
    // Given two numeric features, when four predictions are counted (one value missing in each feature)
    const counts = counted();
    // Then each feature's counts add up to four, the last of them its one missing value
    for (const feature of [0, 1]) {
      const bins = numericCountsOf(counts, layout, feature);
      expect(bins.length).toBe(layout.numeric[feature]!.edges.length + 2);
      expect(bins.reduce((a, b) => a + b, 0)).toBe(4);
      expect(bins[bins.length - 1]).toBe(1);
    }
    expect(counts.numeric.length).toBe(layout.numeric[0]!.edges.length + layout.numeric[1]!.edges.length + 4);
    // And the categorical feature's known categories, its missing count last, and the value it had not seen apart
    expect(categoryCountsOf(counts, layout, 0)).toEqual({ known: [1, 1, 1], unseen: { east: 1 } });
  });

  it('reads a window stored by an earlier version (an array per feature) in today\'s shape, and leaves one in today\'s shape as it is', () => {
    // Given a window's counts, and the same counts as an earlier version stored them
    const counts = counted();
    const stored = JSON.parse(JSON.stringify({
      ...counts, numeric: [numericCountsOf(counts, layout, 0), numericCountsOf(counts, layout, 1)], categorical: [categoryCountsOf(counts, layout, 0)], unseen: undefined,
    })) as WindowCounts;
    expect('unseen' in stored).toBe(false);
    // When each is read, then both are today's counts
    expect(countsInCurrentShape(stored)).toEqual(counts);
    expect(countsInCurrentShape(counts)).toBe(counts);
  });
});
