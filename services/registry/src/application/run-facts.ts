import type { RunFacts } from '@mgov/registry-domain';
import type { Sql } from '@mgov/event-store';
import { Topics } from '@mgov/messaging';
import type { DecodedMessage, Reactor } from '@mgov/service-runtime';

interface RunFactsRow {
  run_id: string;
  status: string;
  user_id: string;
  artifacts: RunFacts['artifacts'];
  dataset_version_ids: string[];
  unknown_inputs: string[];
  data_unverified: boolean;
  metrics: Record<string, number>;
}

const STATUS_OF: Readonly<Record<string, string>> = { RunRefused: 'refused', RunFailed: 'failed', RunKilled: 'killed', RunDeleted: 'deleted' };

/**
 * The runs experiment reported, as review needs them: RunCompleted (v2) carries the summary (latest
 * metrics, artifacts with sha256, data, unknown inputs); RunStarted gives the data of older summaries.
 */
export function runFacts(schema: string, onCompleted: (tx: Sql, runId: string) => Promise<void> = async () => undefined) {
  const table = `${schema}.run_facts_v2`;
  const reactor: Reactor = {
    name: 'run-facts',
    topics: [Topics.events('experiment')],
    async setup(tx: Sql) {
      await tx.query(`CREATE TABLE IF NOT EXISTS ${table} (
        run_id text PRIMARY KEY, status text NOT NULL, user_id text NOT NULL DEFAULT '', artifacts jsonb NOT NULL DEFAULT '[]',
        dataset_version_ids jsonb NOT NULL DEFAULT '[]', unknown_inputs jsonb NOT NULL DEFAULT '[]', data_unverified boolean NOT NULL DEFAULT false,
        metrics jsonb NOT NULL DEFAULT '{}')`);
      // Retrained models whose run registry has not seen finish yet: submitted when RunCompleted arrives.
      await tx.query(`CREATE TABLE IF NOT EXISTS ${schema}.retraining_candidates_v1 (run_id text PRIMARY KEY, data jsonb NOT NULL)`);
    },
    async handle(tx: Sql, message: DecodedMessage) {
      if (message.kind !== 'event') return;
      const event = message.event;
      switch (event.type) {
        case 'RunStarted':
          await tx.query(`INSERT INTO ${table} (run_id, status, dataset_version_ids) VALUES ($1, 'running', $2) ON CONFLICT DO NOTHING`, [
            event.data.runId, JSON.stringify(event.data.datasetVersionIds),
          ]);
          return;
        case 'RunCompleted': {
          const d = event.data;
          const artifacts = d.artifacts.map((a) => ({ path: a.path, sha256: a.sha256, size: a.size }));
          // A summary that names its digest only (older experiment builds) still names the artifact it completed with.
          const hex = d.artifactDigest?.replace(/^sha256:/, '');
          if (hex && !artifacts.some((a) => a.sha256 === hex)) artifacts.push({ path: '', sha256: hex, size: 0 });
          await tx.query(
            `INSERT INTO ${table} (run_id, status, user_id, artifacts, dataset_version_ids, unknown_inputs, data_unverified, metrics)
             VALUES ($1, 'finished', $2, $3, $4, $5, $6, $7)
             ON CONFLICT (run_id) DO UPDATE SET status = 'finished', user_id = excluded.user_id, artifacts = excluded.artifacts,
               dataset_version_ids = CASE WHEN jsonb_array_length(excluded.dataset_version_ids) > 0 THEN excluded.dataset_version_ids ELSE ${table}.dataset_version_ids END,
               unknown_inputs = excluded.unknown_inputs, data_unverified = excluded.data_unverified, metrics = excluded.metrics`,
            [d.runId, d.user, JSON.stringify(artifacts), JSON.stringify(d.datasetVersionIds), JSON.stringify(d.unknownInputs), d.dataUnverified, JSON.stringify(d.metrics)],
          );
          await onCompleted(tx, d.runId);
          return;
        }
        default: {
          const status = STATUS_OF[event.type];
          const runId = (event.data as { runId?: string }).runId;
          if (!status || !runId) return;
          await tx.query(`INSERT INTO ${table} (run_id, status) VALUES ($1, $2) ON CONFLICT (run_id) DO UPDATE SET status = excluded.status`, [runId, status]);
        }
      }
    },
  };
  return {
    reactor,
    table,
    /** The run's facts, or an `unknown` run. */
    async find(sql: Sql, runId: string): Promise<RunFacts & { user: string }> {
      const [row] = await sql.query<RunFactsRow>(`SELECT * FROM ${table} WHERE run_id = $1`, [runId]);
      if (!row) return { status: 'unknown', artifacts: [], datasetVersionIds: [], dataUnverified: false, unknownInputs: [], metrics: {}, user: '' };
      return {
        status: row.status as RunFacts['status'], artifacts: row.artifacts, datasetVersionIds: row.dataset_version_ids, dataUnverified: row.data_unverified,
        unknownInputs: row.unknown_inputs, metrics: row.metrics, user: row.user_id,
      };
    },
  };
}
