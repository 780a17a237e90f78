import type { GraphNode, GraphView, NodeKind } from './graph-model';

const SHAPES: Record<NodeKind, [string, string]> = {
  source: ['[(', ')]'],
  'dataset-version': ['[/', '/]'],
  run: ['([', '])'],
  'model-version': ['{{', '}}'],
  deployment: ['[[', ']]'],
  'external-job': ['([', '])'],
  'external-dataset': ['[/', '/]'],
};

/** Mermaid reads `"` and angle brackets inside labels as syntax or HTML; its `#…;` entities are safe. */
const escape = (text: string) => text.replace(/[\r\n]+/g, ' ').replace(/"/g, '#quot;').replace(/</g, '#lt;').replace(/>/g, '#gt;');

const label = (node: GraphNode) => `${node.kind}: ${node.label}`;

/** The view as a mermaid `flowchart` (left to right, the way data flows); node ids are positional. */
export function renderMermaid(view: GraphView): string {
  const ids = new Map(view.nodes.map((node, i) => [node.key, `n${i}`]));
  const lines = ['flowchart LR'];
  for (const node of view.nodes) {
    const [open, close] = SHAPES[node.kind] ?? ['[', ']'];
    lines.push(`  ${ids.get(node.key)}${open}"${escape(label(node))}"${close}`);
  }
  for (const e of view.edges) {
    const from = ids.get(e.from);
    const to = ids.get(e.to);
    if (from && to) lines.push(`  ${from} -->|${e.relation}| ${to}`);
  }
  const classes: Array<[string, (node: GraphNode) => boolean]> = [
    ['root', (node) => node.key === view.root],
    ['external', (node) => node.kind.startsWith('external-')],
    ['revoked', (node) => node.attributes.licenseRevokedAt !== undefined],
  ];
  for (const [name, applies] of classes) {
    const members = view.nodes.filter(applies).map((node) => ids.get(node.key));
    if (members.length > 0) lines.push(`  class ${members.join(',')} ${name}`);
  }
  lines.push('  classDef root stroke-width:3px', '  classDef external stroke-dasharray:4 3', '  classDef revoked fill:#fdd,stroke:#c00');
  return `${lines.join('\n')}\n`;
}
