import type { EnvelopedEvent } from '@mgov/contracts';
import type { Sql } from '@mgov/event-store';
import type { ReadModel } from '@mgov/service-runtime';

/** Table names of lineage's catalog (version 2: adds storage, schema, gates and policies). */
export function catalogTables(schema: string) {
  return { sources: `${schema}.catalog_sources_v2`, datasets: `${schema}.catalog_dataset_versions_v2`, policies: `${schema}.catalog_dataset_policies_v2` };
}

type Update = [sql: string, params: unknown[]];

/** The row changes one event makes: a pure mapping, so the catalog is what the log says, replayed or not. */
function updatesOf(event: EnvelopedEvent, t: ReturnType<typeof catalogTables>): Update[] {
  const at = new Date(event.envelope.occurredAt).toISOString();
  const set = (columns: string, id: string, ...values: unknown[]): Update => [`UPDATE ${t.datasets} SET ${columns} WHERE dataset_version_id = $1`, [id, ...values]];
  switch (event.type) {
    case 'SourceRegistered': {
      const d = event.data;
      return [[`INSERT INTO ${t.sources} VALUES ($1,$2,$3,$4,$5,$6,$7) ON CONFLICT (source_id) DO NOTHING`, [d.sourceId, d.name, d.kind, d.license, d.owner, JSON.stringify(d.personalDataColumns), at]]];
    }
    case 'DatasetVersionRegistered': {
      const d = event.data;
      return [[
        `INSERT INTO ${t.datasets} (dataset_version_id, dataset_name, source_ids, parent_version_ids, transformation, row_count, columns, registered_at)
         VALUES ($1,$2,$3,$4,$5,$6,$7,$8) ON CONFLICT (dataset_version_id) DO NOTHING`,
        [d.datasetVersionId, d.datasetName, JSON.stringify(d.sourceIds), JSON.stringify(d.parentVersionIds), d.transformation, d.rowCount, JSON.stringify(d.columns), at],
      ]];
    }
    case 'DatasetVersionStored': {
      const d = event.data;
      return [set('format = $2, byte_size = $3, schema = $4', d.datasetVersionId, d.format, d.byteSize, JSON.stringify(d.columns))];
    }
    case 'PrivacyCleared':
    case 'PrivacyRejected': {
      const { datasetVersionId, ...verdict } = event.data;
      return [set('privacy_status = $2, privacy = $3', datasetVersionId, event.type === 'PrivacyCleared' ? 'cleared' : 'rejected', JSON.stringify({ ...verdict, at }))];
    }
    case 'BiasScanPassed':
    case 'BiasScanFlagged': {
      const { datasetVersionId, ...scan } = event.data;
      return [set('bias_status = $2, bias = $3', datasetVersionId, event.type === 'BiasScanPassed' ? 'passed' : 'flagged', JSON.stringify({ ...scan, at }))];
    }
    case 'BiasScanWaived':
      return [set(`bias_status = 'waived', bias = bias || $2::jsonb`, event.data.datasetVersionId, JSON.stringify({ waiver: { justification: event.data.justification, by: event.envelope.actor.id, at } }))];
    case 'DatasetVersionClearedForTraining':
      return [set('eligible = true, eligible_gate = $2', event.data.datasetVersionId, event.data.gate)];
    case 'DatasetVersionTamperingDetected':
      return [set('tampered_with = $2', event.data.datasetVersionId, event.data.actualSha256)];
    case 'DatasetVersionTrainingEligibilityRevoked':
      return [set('eligible = false, eligibility_revoked = $2', event.data.datasetVersionId, JSON.stringify({ reason: event.data.reason, sourceIds: event.data.sourceIds, at }))];
    case 'DatasetPrivacyPolicySet':
    case 'DatasetBiasPolicySet': {
      const kind = event.type === 'DatasetPrivacyPolicySet' ? 'privacy' : 'bias';
      const { datasetName, ...policy } = event.data;
      return [[
        `INSERT INTO ${t.policies} (dataset_name, ${kind}) VALUES ($1, $2) ON CONFLICT (dataset_name) DO UPDATE SET ${kind} = excluded.${kind}`,
        [datasetName, JSON.stringify({ ...policy, setBy: event.envelope.actor.id, at })],
      ]];
    }
    default:
      return [];
  }
}

/** Sources, dataset versions with their storage, schema, gates and eligibility, and dataset policies. */
export function lineageCatalog(schema: string): ReadModel {
  const t = catalogTables(schema);
  return {
    name: 'lineage-catalog',
    version: 2,
    async setup(tx: Sql) {
      await tx.query(`CREATE TABLE IF NOT EXISTS ${t.sources} (
        source_id text PRIMARY KEY, name text NOT NULL, kind text NOT NULL, license text NOT NULL,
        owner text NOT NULL, personal_data_columns jsonb NOT NULL, registered_at timestamptz NOT NULL)`);
      await tx.query(`CREATE TABLE IF NOT EXISTS ${t.datasets} (
        dataset_version_id text PRIMARY KEY, dataset_name text NOT NULL, source_ids jsonb NOT NULL, parent_version_ids jsonb NOT NULL,
        transformation text, row_count bigint NOT NULL, columns jsonb NOT NULL, format text NOT NULL DEFAULT 'jsonl', byte_size bigint,
        schema jsonb NOT NULL DEFAULT '[]', privacy_status text NOT NULL DEFAULT 'not-gated', privacy jsonb,
        bias_status text NOT NULL DEFAULT 'not-scanned', bias jsonb, eligible boolean NOT NULL DEFAULT false, eligible_gate text,
        tampered_with text, registered_at timestamptz NOT NULL)`);
      // Added after release; additive, and no earlier log holds a revocation, so no rebuild is needed.
      await tx.query(`ALTER TABLE ${t.datasets} ADD COLUMN IF NOT EXISTS eligibility_revoked jsonb`);
      await tx.query(`CREATE INDEX IF NOT EXISTS catalog_dataset_versions_v2_name ON ${t.datasets} (dataset_name, registered_at)`);
      await tx.query(`CREATE TABLE IF NOT EXISTS ${t.policies} (dataset_name text PRIMARY KEY, privacy jsonb, bias jsonb)`);
    },
    async reset(tx: Sql) {
      await tx.query(`TRUNCATE ${t.sources}, ${t.datasets}, ${t.policies}`);
    },
    async handle(tx: Sql, event) {
      for (const [sql, params] of updatesOf(event, t)) await tx.query(sql, params);
    },
  };
}
