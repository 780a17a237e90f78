import { DomainError } from '@mgov/decider';
import type { Sql } from '@mgov/event-store';
import { GraphTables } from './graph-tables';
import { type Direction, type GraphEdge, type GraphNode, type GraphView, NODE_KINDS, type NodeKind, type Relation, splitKey } from './graph-model';
import { type EdgeLookup, walk } from './traversal';

export const DEFAULT_DEPTH = 10;
export const MAX_DEPTH = 100;
const MAX_NODES = 5_000;

interface NodeRow {
  key: string;
  label: string | null;
  attributes: Record<string, unknown>;
}

export function parseNodeKind(kind: string): NodeKind {
  if (!(NODE_KINDS as readonly string[]).includes(kind)) {
    throw new DomainError('LINEAGE.UNKNOWN_NODE_KIND', `node kind must be one of ${NODE_KINDS.join(', ')}, not "${kind}"`, 400);
  }
  return kind as NodeKind;
}

export function parseDepth(depth: unknown): number {
  if (depth === undefined || depth === '') return DEFAULT_DEPTH;
  const n = Number(depth);
  if (!Number.isInteger(n) || n < 1 || n > MAX_DEPTH) {
    throw new DomainError('LINEAGE.INVALID_DEPTH', `depth must be a whole number from 1 to ${MAX_DEPTH}, not ${JSON.stringify(depth)}`, 400);
  }
  return n;
}

/** Reads the lineage graph: both tables pairs as one graph, nodes merged by key. */
export class LineageGraph {
  private readonly tables: readonly GraphTables[];

  constructor(private readonly db: Sql, schema: string) {
    this.tables = [new GraphTables(schema, 'local'), new GraphTables(schema, 'remote')];
  }

  readonly edgesOf: EdgeLookup = async (keys, direction) => {
    const side = direction === 'downstream' ? 'from_key' : 'to_key';
    const union = this.tables.map((t) => `SELECT from_key, to_key, relation FROM ${t.edges} WHERE ${side} IN (SELECT jsonb_array_elements_text($1::jsonb))`).join(' UNION ');
    const rows = await this.db.query<{ from_key: string; to_key: string; relation: Relation }>(`${union} ORDER BY 1, 2, 3`, [JSON.stringify(keys)]);
    return rows.map((r): GraphEdge => ({ from: r.from_key, to: r.to_key, relation: r.relation }));
  };

  async nodes(keys: readonly string[]): Promise<GraphNode[]> {
    const union = this.tables.map((t) => `SELECT key, label, attributes FROM ${t.nodes} WHERE key IN (SELECT jsonb_array_elements_text($1::jsonb))`).join(' UNION ALL ');
    const rows = await this.db.query<NodeRow>(union, [JSON.stringify(keys)]);
    const merged = new Map<string, { label: string | null; attributes: Record<string, unknown> }>();
    for (const row of rows) {
      const known = merged.get(row.key);
      merged.set(row.key, { label: known?.label ?? row.label, attributes: { ...known?.attributes, ...row.attributes } });
    }
    return keys.flatMap((key) => {
      const node = merged.get(key);
      if (!node) return [];
      const { kind, id } = splitKey(key);
      return [{ key, kind, id, label: node.label ?? id, attributes: node.attributes }];
    });
  }

  /** Everything `depth` hops up- or downstream of one node; 404 when the graph does not know the node. */
  async view(kind: NodeKind, id: string, direction: Direction, depth: number): Promise<GraphView> {
    const root = `${kind}:${id}`;
    if ((await this.nodes([root])).length === 0) {
      throw new DomainError('LINEAGE.GRAPH_NODE_NOT_FOUND', `the lineage graph has no ${kind} "${id}" (or has not projected it yet)`, 404);
    }
    const reached = await walk(root, direction, { depth, maxNodes: MAX_NODES }, this.edgesOf);
    return { root, direction, depth, truncated: reached.truncated, nodes: await this.nodes(reached.keys), edges: reached.edges };
  }
}
