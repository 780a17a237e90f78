import type { Sql } from '@mgov/event-store';
import { Topics } from '@mgov/messaging';
import type { Reactor } from '@mgov/service-runtime';

export interface RunSummaryRow {
  run_id: string;
  status: 'running' | 'finished' | 'refused';
  dataset_version_ids: string[];
  artifact_digest: string | null;
}

/** The runs experiment reported, as much as review needs: status, data and artifact digest. */
export function runSummaries(schema: string): Reactor & { table: string } {
  const table = `${schema}.run_summaries_v1`;
  return {
    table,
    name: 'run-summaries',
    topics: [Topics.events('experiment')],
    async setup(tx: Sql) {
      await tx.query(`CREATE TABLE IF NOT EXISTS ${table} (
        run_id text PRIMARY KEY, status text NOT NULL, dataset_version_ids jsonb NOT NULL DEFAULT '[]',
        artifact_digest text, metrics jsonb NOT NULL DEFAULT '{}')`);
    },
    async handle(tx, message) {
      if (message.kind !== 'event') return;
      const { event } = message;
      switch (event.type) {
        case 'RunStarted':
          await tx.query(`INSERT INTO ${table} (run_id, status, dataset_version_ids) VALUES ($1, 'running', $2) ON CONFLICT DO NOTHING`, [
            event.data.runId, JSON.stringify(event.data.datasetVersionIds),
          ]);
          return;
        case 'RunRefused':
          await tx.query(`INSERT INTO ${table} (run_id, status) VALUES ($1, 'refused') ON CONFLICT DO NOTHING`, [event.data.runId]);
          return;
        case 'RunCompleted':
          await tx.query(`UPDATE ${table} SET status = 'finished', artifact_digest = $2, metrics = $3 WHERE run_id = $1`, [
            event.data.runId, event.data.artifactDigest, JSON.stringify(event.data.metrics),
          ]);
          return;
      }
    },
  };
}
