import type { Sql } from '@mgov/event-store';
import type { ReadModel } from '@mgov/service-runtime';

export interface DriftAlertRow {
  alert_id: string;
  kind: 'data' | 'performance' | 'bias';
  model_name: string;
  model_version: number;
  severity: 'warn' | 'breach';
  /** The feature (data), the protected attribute (bias) or `performance`. */
  feature: string;
  metric: string;
  value: number;
  threshold: number;
  baseline: number | null;
  window_index: string;
}

/** Alerts of every kind per model version, for the alert and health queries. */
export function driftAlertsReadModel(schema: string): ReadModel & { table: string } {
  const table = `${schema}.alerts_v2`;
  return {
    name: 'alerts',
    version: 2,
    table,
    async setup(tx: Sql) {
      await tx.query(`CREATE TABLE IF NOT EXISTS ${table} (
        alert_id text PRIMARY KEY, kind text NOT NULL, model_name text NOT NULL, model_version int NOT NULL, severity text NOT NULL,
        feature text NOT NULL, metric text NOT NULL, value double precision NOT NULL, threshold double precision NOT NULL,
        baseline double precision, window_index bigint NOT NULL, detected_at timestamptz NOT NULL)`);
    },
    async reset(tx: Sql) {
      await tx.query(`TRUNCATE ${table}`);
    },
    async handle(tx: Sql, event) {
      const at = new Date(event.envelope.occurredAt).toISOString();
      const insert = (kind: string, d: { alertId: string; modelName: string; modelVersion: number; severity: string; metric: string; value: number; threshold: number; windowIndex: number }, subject: string, baseline: number | null) =>
        tx.query(`INSERT INTO ${table} VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12) ON CONFLICT DO NOTHING`, [
          d.alertId, kind, d.modelName, d.modelVersion, d.severity, subject, d.metric, d.value, d.threshold, baseline, d.windowIndex, at,
        ]);
      if (event.type === 'DataDriftDetected') await insert('data', event.data, event.data.feature, null);
      else if (event.type === 'PerformanceDecayDetected') await insert('performance', event.data, 'performance', event.data.baseline);
      else if (event.type === 'BiasDriftDetected') await insert('bias', event.data, event.data.attribute, event.data.baseline);
    },
  };
}
