import type { ColumnProfile } from '@mgov/contracts';
import { countPrediction, emptyCounts, emptyObservation, layoutOf } from './window-counts';

/** A numeric-only layout with the given bin edges. */
function layoutWithEdges(edges: number[]) {
  const column = { name: 'x', kind: 'numeric', binEdges: edges } as unknown as ColumnProfile;
  return layoutOf([column]);
}

/** The bin each value is counted in (the index of the one bin that went up). */
function binsOf(edges: number[], values: number[]): number[] {
  const layout = layoutWithEdges(edges);
  return values.map((value) => {
    const counts = emptyCounts(layout);
    const observation = emptyObservation(layout);
    observation.numeric[0] = value;
    countPrediction(counts, layout, observation, '1');
    return counts.numeric[0]!.indexOf(1);
  });
}

describe('numeric bins of a window (the training profile convention: bin i is [edges[i-1], edges[i]))', () => {
  it.each([
    ['few edges (counted by a scan)', [10, 20, 30]],
    ['many edges (binary search)', Array.from({ length: 40 }, (_, i) => (i + 1) * 10)],
  ])('puts values below, on and between the edges in the same bins with %s', (_name, edges) => {
    // Given values below the first edge, on each edge, between edges and above the last
    const last = edges[edges.length - 1]!;
    const values = [-1, 10, 15, 20, 29.999, 30, last, last + 1];

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
});
