import type { Sql } from '@mgov/event-store';
import type { ReadModel } from '@mgov/service-runtime';

export interface ModelVersionRow {
  model_name: string;
  version: number;
  tag: string;
  digest: string;
  run_id: string;
  candidate_id: string;
  dataset_version_ids: string[];
  submitted_by: string;
  approved_by: string[];
  metrics: Record<string, number>;
  policy_version: string;
  archived: boolean;
  registered_at: Date;
}

/** The registry proper: approved versions only, each tag bound to its digest for good. Candidates never appear here. */
export function modelVersionsReadModel(schema: string): ReadModel & { table: string; aliases: string; created: string } {
  const table = `${schema}.model_versions_v2`;
  const aliases = `${schema}.model_aliases_v1`;
  const created = `${schema}.registered_models_v1`;
  return {
    name: 'model-versions',
    version: 2,
    table,
    aliases,
    created,
    async setup(tx: Sql) {
      await tx.query(`CREATE TABLE IF NOT EXISTS ${table} (
        model_name text NOT NULL, version int NOT NULL, tag text NOT NULL UNIQUE, digest text NOT NULL, run_id text NOT NULL,
        candidate_id text NOT NULL DEFAULT '', dataset_version_ids jsonb NOT NULL, submitted_by text NOT NULL DEFAULT '',
        approved_by jsonb NOT NULL DEFAULT '[]', metrics jsonb NOT NULL DEFAULT '{}', policy_version text NOT NULL DEFAULT '',
        archived boolean NOT NULL DEFAULT false, registered_at timestamptz NOT NULL, PRIMARY KEY (model_name, version))`);
      await tx.query(`CREATE TABLE IF NOT EXISTS ${aliases} (model_name text NOT NULL, alias text NOT NULL, version int NOT NULL, PRIMARY KEY (model_name, alias))`);
      await tx.query(`CREATE TABLE IF NOT EXISTS ${created} (model_name text PRIMARY KEY, description text NOT NULL, created_by text NOT NULL, created_at timestamptz NOT NULL)`);
    },
    async reset(tx: Sql) {
      await tx.query(`TRUNCATE ${table}, ${aliases}, ${created}`);
    },
    async handle(tx: Sql, event) {
      if (event.type === 'RegisteredModelCreated') {
        await tx.query(`INSERT INTO ${created} VALUES ($1,$2,$3,$4) ON CONFLICT DO NOTHING`, [
          event.data.modelName, event.data.description, event.data.createdBy, new Date(event.envelope.occurredAt).toISOString(),
        ]);
        return;
      }
      if (event.type === 'ModelAliasSet') {
        await tx.query(`INSERT INTO ${aliases} VALUES ($1,$2,$3) ON CONFLICT (model_name, alias) DO UPDATE SET version = excluded.version`, [event.data.modelName, event.data.alias, event.data.version]);
        return;
      }
      if (event.type === 'ModelAliasDeleted') {
        await tx.query(`DELETE FROM ${aliases} WHERE model_name = $1 AND alias = $2`, [event.data.modelName, event.data.alias]);
        return;
      }
      if (event.type === 'ModelVersionArchived') {
        await tx.query(`UPDATE ${table} SET archived = true WHERE model_name = $1 AND version = $2`, [event.data.modelName, event.data.version]);
        return;
      }
      if (event.type !== 'ModelVersionRegistered') return;
      const d = event.data;
      await tx.query(`INSERT INTO ${table} VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,false,$12) ON CONFLICT DO NOTHING`, [
        d.modelName, d.version, d.tag, d.digest, d.runId, d.candidateId, JSON.stringify(d.datasetVersionIds), d.submittedBy,
        JSON.stringify(d.approvedBy), JSON.stringify(d.metrics), d.policyVersion, new Date(event.envelope.occurredAt).toISOString(),
      ]);
    },
  };
}
