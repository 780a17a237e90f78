import type { Sql } from '@mgov/event-store';
import { Topics } from '@mgov/messaging';
import type { DecodedMessage, Reactor } from '@mgov/service-runtime';

export interface QuarantineHandlers {
  quarantined(tx: Sql, modelName: string, version: number, reason: string): Promise<void>;
  retrainingSucceeded(tx: Sql, data: { runId: string; modelName: string; artifactDigest: string; approvedBy: string; retrainingId: string }): Promise<void>;
}

/**
 * Retraining's facts about registered versions: quarantine marks (set and lifted) kept per version, with
 * the rollback and the retrained candidate left to the handlers, in the same transaction.
 */
export function quarantines(schema: string, handlers: QuarantineHandlers) {
  const table = `${schema}.quarantines_v1`;
  const reactor: Reactor = {
    name: 'quarantines',
    topics: [Topics.events('retraining')],
    async setup(tx: Sql) {
      await tx.query(`CREATE TABLE IF NOT EXISTS ${table} (
        model_name text NOT NULL, version int NOT NULL, quarantined boolean NOT NULL, reason text NOT NULL, changed_at timestamptz NOT NULL,
        PRIMARY KEY (model_name, version))`);
    },
    async handle(tx: Sql, message: DecodedMessage) {
      if (message.kind !== 'event') return;
      const event = message.event;
      const at = new Date(event.envelope.occurredAt).toISOString();
      if (event.type === 'ModelQuarantined') {
        const { modelName, modelVersion, reason } = event.data;
        await tx.query(`INSERT INTO ${table} VALUES ($1,$2,true,$3,$4) ON CONFLICT (model_name, version) DO UPDATE SET quarantined = true, reason = excluded.reason, changed_at = excluded.changed_at`, [
          modelName, modelVersion, reason, at,
        ]);
        await handlers.quarantined(tx, modelName, modelVersion, reason);
      } else if (event.type === 'ModelQuarantineReleased') {
        const { modelName, modelVersion, justification, releasedBy } = event.data;
        await tx.query(`INSERT INTO ${table} VALUES ($1,$2,false,$3,$4) ON CONFLICT (model_name, version) DO UPDATE SET quarantined = false, reason = excluded.reason, changed_at = excluded.changed_at`, [
          modelName, modelVersion, `released by ${releasedBy}: ${justification}`, at,
        ]);
      } else if (event.type === 'RetrainingSucceeded') {
        await handlers.retrainingSucceeded(tx, event.data);
      }
    },
  };
  return {
    reactor,
    table,
    async quarantinedVersions(sql: Sql, modelName: string): Promise<Set<number>> {
      const rows = await sql.query<{ version: number }>(`SELECT version FROM ${table} WHERE model_name = $1 AND quarantined`, [modelName]);
      return new Set(rows.map((r) => r.version));
    },
  };
}
