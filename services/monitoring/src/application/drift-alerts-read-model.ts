import type { Sql } from '@mgov/event-store';
import type { ReadModel } from '@mgov/service-runtime';

export interface DriftAlertRow {
  alert_id: string;
  model_name: string;
  model_version: number;
  severity: 'warn' | 'breach';
  feature: string;
  metric: string;
  value: number;
  threshold: number;
  window_index: string;
}

/** Drift alerts per model version, for the health and alert queries. */
export function driftAlertsReadModel(schema: string): ReadModel & { table: string } {
  const table = `${schema}.drift_alerts_v1`;
  return {
    name: 'drift-alerts',
    version: 1,
    table,
    async setup(tx: Sql) {
      await tx.query(`CREATE TABLE IF NOT EXISTS ${table} (
        alert_id text PRIMARY KEY, model_name text NOT NULL, model_version int NOT NULL, severity text NOT NULL,
        feature text NOT NULL, metric text NOT NULL, value double precision NOT NULL, threshold double precision NOT NULL,
        window_index bigint NOT NULL, detected_at timestamptz NOT NULL)`);
    },
    async reset(tx: Sql) {
      await tx.query(`TRUNCATE ${table}`);
    },
    async handle(tx: Sql, event) {
      if (event.type !== 'DataDriftDetected') return;
      const d = event.data;
      await tx.query(`INSERT INTO ${table} VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10) ON CONFLICT DO NOTHING`, [
        d.alertId, d.modelName, d.modelVersion, d.severity, d.feature, d.metric, d.value, d.threshold, d.windowIndex, new Date(event.envelope.occurredAt).toISOString(),
      ]);
    },
  };
}
