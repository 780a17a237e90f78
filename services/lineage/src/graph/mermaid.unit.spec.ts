import type { GraphView } from './graph-model';
import { renderMermaid } from './mermaid';

const view: GraphView = {
  root: 'source:crm', direction: 'downstream', depth: 10, truncated: false,
  nodes: [
    { key: 'source:crm', kind: 'source', id: 'crm', label: 'CRM "export"', attributes: { licenseRevokedAt: '2025-01-01T00:00:00.000Z' } },
    { key: 'dataset-version:ab', kind: 'dataset-version', id: 'ab', label: 'loans@ab', attributes: {} },
    { key: 'run:r1', kind: 'run', id: 'r1', label: 'train <xgb>', attributes: {} },
    { key: 'model-version:m:1', kind: 'model-version', id: 'm:1', label: 'm:1', attributes: {} },
    { key: 'external-dataset:s3://b:out', kind: 'external-dataset', id: 's3://b:out', label: 'out', attributes: {} },
  ],
  edges: [
    { from: 'source:crm', to: 'dataset-version:ab', relation: 'source-of' },
    { from: 'dataset-version:ab', to: 'run:r1', relation: 'input-to' },
    { from: 'run:r1', to: 'model-version:m:1', relation: 'trained' },
    { from: 'run:r1', to: 'external-dataset:s3://b:out', relation: 'produced' },
    { from: 'run:r1', to: 'run:not-in-view', relation: 'parent-of' },
  ],
};

describe('mermaid rendering', () => {
  it('draws a left-to-right flowchart with a shape per kind, escaped labels and the root, external and revoked nodes marked', () => {
    expect(renderMermaid(view)).toBe([
      'flowchart LR',
      '  n0[("source: CRM #quot;export#quot;")]',
      '  n1[/"dataset-version: loans@ab"/]',
      '  n2(["run: train #lt;xgb#gt;"])',
      '  n3{{"model-version: m:1"}}',
      '  n4[/"external-dataset: out"/]',
      '  n0 -->|source-of| n1',
      '  n1 -->|input-to| n2',
      '  n2 -->|trained| n3',
      '  n2 -->|produced| n4',
      '  class n0 root',
      '  class n4 external',
      '  class n0 revoked',
      '  classDef root stroke-width:3px',
      '  classDef external stroke-dasharray:4 3',
      '  classDef revoked fill:#fdd,stroke:#c00',
      '',
    ].join('\n'));
  });
});
