import { Topics } from '@mgov/messaging';
import type { ReadModel, Reactor } from '@mgov/service-runtime';
import { graphFactsOf } from './graph-facts';
import { GraphTables } from './graph-tables';

/** The lineage graph's part from lineage's own log: sources, dataset versions, OpenLineage runs, revocations. */
export function localLineageGraph(schema: string): ReadModel {
  const tables = new GraphTables(schema, 'local');
  return {
    name: 'lineage-graph',
    version: 1,
    setup: (tx) => tables.setup(tx),
    reset: (tx) => tables.reset(tx),
    handle: (tx, event) => tables.apply(tx, graphFactsOf(event)),
  };
}

/** The lineage graph's part from other services: experiment's runs and registry's model versions (and deployments). */
export function remoteLineageGraph(schema: string): Reactor {
  const tables = new GraphTables(schema, 'remote');
  return {
    name: 'lineage-graph-remote',
    topics: [Topics.events('experiment'), Topics.events('registry')],
    setup: (tx) => tables.setup(tx),
    async handle(tx, message) {
      if (message.kind === 'event') await tables.apply(tx, graphFactsOf(message.event));
    },
  };
}
