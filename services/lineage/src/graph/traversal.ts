import type { Direction, GraphEdge } from './graph-model';

/** The edges touching these nodes on the given side (downstream: edges leaving them; upstream: entering). */
export type EdgeLookup = (keys: readonly string[], direction: Direction) => Promise<readonly GraphEdge[]>;

export interface Walk {
  readonly keys: readonly string[];
  readonly edges: readonly GraphEdge[];
  readonly truncated: boolean;
}

/**
 * Breadth-first walk from `root`, one lookup per level, at most `depth` hops and `maxNodes` nodes.
 * Cycles (a dataset version derived from its own descendant cannot exist, but an external job may
 * read what it wrote) end where a node was already reached.
 */
export async function walk(root: string, direction: Direction, limits: { depth: number; maxNodes: number }, lookup: EdgeLookup): Promise<Walk> {
  const reached = new Set([root]);
  const edges = new Map<string, GraphEdge>();
  let frontier = [root];
  for (let hop = 0; hop < limits.depth && frontier.length > 0; hop++) {
    const next: string[] = [];
    for (const e of await lookup(frontier, direction)) {
      const far = direction === 'downstream' ? e.to : e.from;
      if (!reached.has(far)) {
        if (reached.size >= limits.maxNodes) return { keys: [...reached], edges: [...edges.values()], truncated: true };
        reached.add(far);
        next.push(far);
      }
      edges.set(`${e.from}\u0000${e.to}\u0000${e.relation}`, e);
    }
    frontier = next;
  }
  // One more look past the depth limit only to tell the caller whether there is more.
  const beyond = frontier.length > 0 && (await lookup(frontier, direction)).some((e) => !reached.has(direction === 'downstream' ? e.to : e.from));
  return { keys: [...reached], edges: [...edges.values()], truncated: beyond };
}
