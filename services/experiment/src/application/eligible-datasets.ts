import type { Sql } from '@mgov/event-store';
import { Topics } from '@mgov/messaging';
import type { Reactor } from '@mgov/service-runtime';

/** Which dataset versions lineage has cleared for training, as experiment sees them. */
export function eligibleDatasets(schema: string): Reactor & { table: string } {
  const table = `${schema}.eligible_datasets_v1`;
  return {
    table,
    name: 'eligible-datasets',
    topics: [Topics.events('lineage')],
    async setup(tx: Sql) {
      await tx.query(`CREATE TABLE IF NOT EXISTS ${table} (dataset_version_id text PRIMARY KEY, eligible_since timestamptz NOT NULL)`);
    },
    async handle(tx, message) {
      if (message.kind !== 'event' || message.event.type !== 'DatasetVersionClearedForTraining') return;
      await tx.query(`INSERT INTO ${table} VALUES ($1, $2) ON CONFLICT DO NOTHING`, [
        message.event.data.datasetVersionId, new Date(message.event.envelope.occurredAt).toISOString(),
      ]);
    },
  };
}
