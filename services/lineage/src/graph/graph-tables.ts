import type { Sql } from '@mgov/event-store';
import type { GraphFacts } from './graph-model';

/**
 * One pair of node/edge tables. Lineage's own log and the other services' topics each fill their own
 * pair, so rebuilding the read model from the log never wipes rows that only the inbox could restore.
 */
export class GraphTables {
  readonly nodes: string;
  readonly edges: string;

  constructor(schema: string, origin: 'local' | 'remote') {
    this.nodes = `${schema}.graph_${origin}_nodes_v1`;
    this.edges = `${schema}.graph_${origin}_edges_v1`;
  }

  async setup(tx: Sql): Promise<void> {
    await tx.query(`CREATE TABLE IF NOT EXISTS ${this.nodes} (key text PRIMARY KEY, label text, attributes jsonb NOT NULL DEFAULT '{}')`);
    await tx.query(`CREATE TABLE IF NOT EXISTS ${this.edges} (from_key text NOT NULL, to_key text NOT NULL, relation text NOT NULL, PRIMARY KEY (from_key, to_key, relation))`);
    await tx.query(`CREATE INDEX IF NOT EXISTS ${this.edges.split('.')[1]}_to ON ${this.edges} (to_key)`);
  }

  async reset(tx: Sql): Promise<void> {
    await tx.query(`TRUNCATE ${this.nodes}, ${this.edges}`);
  }

  /** Idempotent: attributes merge key by key, edges are a set, so applying facts twice changes nothing. */
  async apply(tx: Sql, facts: GraphFacts): Promise<void> {
    for (const node of facts.nodes) {
      await tx.query(
        `INSERT INTO ${this.nodes} (key, label, attributes) VALUES ($1, $2, $3::jsonb)
         ON CONFLICT (key) DO UPDATE SET label = COALESCE(excluded.label, ${this.nodes}.label), attributes = ${this.nodes}.attributes || excluded.attributes`,
        [node.key, node.label ?? null, JSON.stringify(node.attributes ?? {})],
      );
    }
    for (const e of facts.edges) {
      for (const key of [e.from, e.to]) {
        await tx.query(`INSERT INTO ${this.nodes} (key) VALUES ($1) ON CONFLICT (key) DO NOTHING`, [key]);
      }
      await tx.query(`INSERT INTO ${this.edges} (from_key, to_key, relation) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`, [e.from, e.to, e.relation]);
    }
  }
}
