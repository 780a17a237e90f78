import type { GraphEdge } from './graph-model';
import { type EdgeLookup, walk } from './traversal';

// source → d1 → d2 → run → model, d1 → run2; an external job that reads what it wrote (a cycle).
const edges: GraphEdge[] = [
  { from: 'source:s', to: 'dataset-version:d1', relation: 'source-of' },
  { from: 'dataset-version:d1', to: 'dataset-version:d2', relation: 'parent-of' },
  { from: 'dataset-version:d2', to: 'run:r', relation: 'input-to' },
  { from: 'dataset-version:d1', to: 'run:r2', relation: 'input-to' },
  { from: 'run:r', to: 'model-version:m:1', relation: 'trained' },
  { from: 'external-dataset:x', to: 'run:ol', relation: 'input-to' },
  { from: 'run:ol', to: 'external-dataset:x', relation: 'produced' },
];
let lookups = 0;
const lookup: EdgeLookup = async (keys, direction) => {
  lookups++;
  return edges.filter((e) => keys.includes(direction === 'downstream' ? e.from : e.to));
};
const unlimited = { depth: 10, maxNodes: 100 };

describe('walking the lineage graph', () => {
  beforeEach(() => void (lookups = 0));

  it('finds everything downstream, level by level, with the edges between', async () => {
    const result = await walk('source:s', 'downstream', unlimited, lookup);
    expect(result.keys).toEqual(['source:s', 'dataset-version:d1', 'dataset-version:d2', 'run:r2', 'run:r', 'model-version:m:1']);
    expect(result.edges).toHaveLength(5);
    expect(result.truncated).toBe(false);
  });

  it('finds everything upstream, edges still pointing the way data flows', async () => {
    const result = await walk('model-version:m:1', 'upstream', unlimited, lookup);
    expect(result.keys).toEqual(['model-version:m:1', 'run:r', 'dataset-version:d2', 'dataset-version:d1', 'source:s']);
    expect(result.edges).toContainEqual({ from: 'run:r', to: 'model-version:m:1', relation: 'trained' });
  });

  it('stops at the depth limit and says there is more', async () => {
    const result = await walk('source:s', 'downstream', { depth: 2, maxNodes: 100 }, lookup);
    expect(result.keys).toEqual(['source:s', 'dataset-version:d1', 'dataset-version:d2', 'run:r2']);
    expect(result).toMatchObject({ truncated: true });
    expect(lookups).toBe(3);
    expect((await walk('run:r', 'downstream', { depth: 1, maxNodes: 100 }, lookup)).truncated).toBe(false);
  });

  it('stops at the node limit', async () => {
    const result = await walk('source:s', 'downstream', { depth: 10, maxNodes: 3 }, lookup);
    expect(result.keys).toHaveLength(3);
    expect(result.truncated).toBe(true);
  });

  it('ends cycles where a node was already reached', async () => {
    const result = await walk('run:ol', 'downstream', unlimited, lookup);
    expect(result.keys).toEqual(['run:ol', 'external-dataset:x']);
    expect(result.edges).toHaveLength(2);
  });
});
