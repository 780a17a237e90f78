import { binIndex, histogram } from './histogram';

describe('histogram', () => {
  const edges = [1, 2, 3];

  it('puts a value on an edge in the bin that starts there', () => {
    expect([0.5, 1, 1.5, 2, 2.99, 3].map((v) => binIndex(v, edges))).toEqual([0, 1, 1, 2, 2, 3]);
  });

  it('sends values beyond the edges to the open-ended outer bins', () => {
    expect(histogram([-1e9, -Infinity, 1e9, Infinity], edges)).toEqual([2, 0, 0, 2]);
  });

  it('has one bin more than edges, and a single bin with no edges', () => {
    expect(histogram([0.5, 1.5, 1.7, 2.5, 3.5, NaN], edges)).toEqual([1, 2, 1, 1]);
    expect(histogram([1, 2, 3], [])).toEqual([3]);
  });
});
