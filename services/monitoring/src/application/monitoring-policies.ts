import type { Sql } from '@mgov/event-store';
import { applyPolicyChange, DEFAULT_POLICY, type MonitoringPolicy, type PolicyChange } from '@mgov/monitoring-domain';

/**
 * Monitoring policies per model name, each change a new version (kept: the table is append-only by
 * use). Windows record the version they were judged by.
 */
export function monitoringPolicies(schema: string) {
  const table = `${schema}.monitoring_policies_v1`;
  return {
    async setup(tx: Sql) {
      await tx.query(`CREATE TABLE IF NOT EXISTS ${table} (
        model_name text NOT NULL, version int NOT NULL, policy jsonb NOT NULL, set_by text NOT NULL, set_at timestamptz NOT NULL,
        PRIMARY KEY (model_name, version))`);
    },
    async current(sql: Sql, modelName: string): Promise<MonitoringPolicy> {
      const [row] = await sql.query<{ policy: MonitoringPolicy }>(`SELECT policy FROM ${table} WHERE model_name = $1 ORDER BY version DESC LIMIT 1`, [modelName]);
      return row?.policy ?? DEFAULT_POLICY;
    },
    async set(sql: Sql, modelName: string, change: PolicyChange, actor: string, now: number): Promise<MonitoringPolicy> {
      const current = await this.current(sql, modelName);
      const policy = applyPolicyChange(current, change, current.version + 1);
      await sql.query(`INSERT INTO ${table} VALUES ($1, $2, $3, $4, $5)`, [modelName, policy.version, JSON.stringify(policy), actor, new Date(now).toISOString()]);
      return policy;
    },
  };
}

export type MonitoringPolicies = ReturnType<typeof monitoringPolicies>;
