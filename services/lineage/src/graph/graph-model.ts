/** What the lineage graph holds: each kind's id is the part after `<kind>:` of its subject (`Subject`). */
export const NODE_KINDS = ['source', 'dataset-version', 'run', 'model-version', 'deployment', 'external-job', 'external-dataset'] as const;
export type NodeKind = (typeof NODE_KINDS)[number];

/** Edges point the way data flows, named from the upstream end. */
export type Relation = 'source-of' | 'parent-of' | 'input-to' | 'produced' | 'ran' | 'trained' | 'deployed-as';

export type Direction = 'upstream' | 'downstream';

export const nodeKey = (kind: NodeKind, id: string) => `${kind}:${id}`;

export function splitKey(key: string): { kind: NodeKind; id: string } {
  const colon = key.indexOf(':');
  return { kind: key.slice(0, colon) as NodeKind, id: key.slice(colon + 1) };
}

export interface GraphNode {
  readonly key: string;
  readonly kind: NodeKind;
  readonly id: string;
  readonly label: string;
  readonly attributes: Readonly<Record<string, unknown>>;
}

export interface GraphEdge {
  readonly from: string;
  readonly to: string;
  readonly relation: Relation;
}

/** A node as one event describes it: attributes merge over what earlier events said. */
export interface NodeFact {
  readonly key: string;
  readonly label?: string;
  readonly attributes?: Readonly<Record<string, unknown>>;
}

export interface GraphFacts {
  readonly nodes: readonly NodeFact[];
  readonly edges: readonly GraphEdge[];
}

/** The part of the graph reached from one node. */
export interface GraphView {
  readonly root: string;
  readonly direction: Direction;
  readonly depth: number;
  /** True when the depth or node limit cut the walk short: there is more beyond. */
  readonly truncated: boolean;
  readonly nodes: readonly GraphNode[];
  readonly edges: readonly GraphEdge[];
}
