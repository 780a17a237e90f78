/**
 * Uniform numbers in [0, 1) from a seed (xorshift32): fast, and the same on every run, so a
 * generated fixture or a failing randomized case can be replayed.
 */
export function seededRandom(seed: number): () => number {
  let state = seed | 0 || 1;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 4_294_967_296;
  };
}
