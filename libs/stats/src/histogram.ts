/**
 * The bin a value falls in, given sorted interior edges: bin `i` is `[edges[i-1], edges[i])`,
 * with open-ended outer bins, so there are `edges.length + 1` bins.
 */
export function binIndex(value: number, edges: readonly number[]): number {
  let low = 0;
  let high = edges.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (edges[middle]! <= value) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** Counts per bin of `values` on interior `edges` (`edges.length + 1` bins); NaN is not counted. */
export function histogram(values: Iterable<number>, edges: readonly number[]): number[] {
  const counts = new Array<number>(edges.length + 1).fill(0);
  for (const value of values) {
    if (Number.isNaN(value)) continue;
    counts[binIndex(value, edges)]! += 1;
  }
  return counts;
}
