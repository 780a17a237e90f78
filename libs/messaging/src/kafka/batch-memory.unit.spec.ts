import { BatchMemory } from './batch-memory';

const MiB = 1024 * 1024;

describe('batch memory (the fetch thread\'s buffers, given back once their batch is handled)', () => {
  it('makes a buffer of whole MiB when none it holds is large enough', () => {
    const memory = new BatchMemory(4);
    expect(memory.take(10).byteLength).toBe(MiB);
    expect(memory.take(MiB + 1).byteLength).toBe(2 * MiB);
    expect(memory.take(0).byteLength).toBe(MiB);
  });

  it('packs the next batch into a buffer given back: the smallest that fits', () => {
    // Given three buffers given back, of 1, 3 and 2 MiB
    const memory = new BatchMemory(4);
    const [one, three, two] = [memory.take(MiB), memory.take(3 * MiB), memory.take(2 * MiB)];
    [one, three, two].forEach((buffer) => memory.giveBack(buffer));

    // When batches of 1.5 MiB, then 1.5 MiB, then 100 bytes are packed
    // Then they get the 2 MiB, then the 3 MiB, then the 1 MiB buffer: no new one
    expect(memory.take(1.5 * MiB)).toBe(two);
    expect(memory.take(1.5 * MiB)).toBe(three);
    expect(memory.take(100)).toBe(one);
    expect(memory.spareCount).toBe(0);
  });

  it('keeps at most its spares, the largest, and ignores a buffer no longer usable (transferred again)', () => {
    const memory = new BatchMemory(2);
    const buffers = [1, 4, 2].map((n) => memory.take(n * MiB));
    buffers.forEach((buffer) => memory.giveBack(buffer));
    expect(memory.spareCount).toBe(2);
    expect(memory.take(MiB).byteLength).toBe(2 * MiB);

    const detached = memory.take(MiB);
    structuredClone(detached, { transfer: [detached] });
    memory.giveBack(detached);
    expect(memory.spareCount).toBe(0);
  });
});
