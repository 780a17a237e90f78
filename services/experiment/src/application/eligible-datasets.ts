import type { EnvelopedEvent } from '@mgov/contracts';
import type { Sql } from '@mgov/event-store';
import { Topics } from '@mgov/messaging';
import type { Reactor } from '@mgov/service-runtime';

/** Where a dataset version stands on lineage's gates, as experiment has seen it. */
export interface DatasetGates {
  readonly datasetVersionId: string;
  /** null: no verdict seen; cleared | rejected. */
  readonly privacy: string | null;
  /** null: not scanned; passed | flagged | waived. */
  readonly bias: string | null;
  readonly eligible: boolean;
  /** Why lineage took eligibility back (a source license revoked upstream), or null. */
  readonly revoked?: string | null;
}

/** Why a version may not be trained on, in words for the refusal; null when it may. */
export function ineligibility(gates: DatasetGates | undefined): string | null {
  if (gates?.revoked) return `its training eligibility was revoked: ${gates.revoked}`;
  if (gates?.eligible) return null;
  if (!gates || gates.privacy === null) return 'it has not been cleared by the privacy gate (train on the cleared version the gate derives from a raw upload)';
  if (gates.privacy === 'rejected') return 'the privacy gate rejected it';
  if (gates.bias === 'flagged') return 'its bias scan was flagged and has not been waived';
  return 'it has no passed bias scan yet';
}

const COLUMN_OF: Readonly<Record<string, ['privacy' | 'bias' | 'eligible', string | boolean]>> = {
  PrivacyCleared: ['privacy', 'cleared'],
  PrivacyRejected: ['privacy', 'rejected'],
  BiasScanPassed: ['bias', 'passed'],
  BiasScanFlagged: ['bias', 'flagged'],
  BiasScanWaived: ['bias', 'waived'],
  DatasetVersionClearedForTraining: ['eligible', true],
};

/**
 * Lineage's gate facts per dataset version: a run is accepted only on versions lineage made eligible
 * for training (privacy-cleared and bias-passed or waived), and a refusal says which gate is missing.
 */
export function eligibleDatasets(schema: string): Reactor & { table: string; find(sql: Sql, ids: readonly string[]): Promise<Map<string, DatasetGates>> } {
  const table = `${schema}.dataset_gates_v1`;
  return {
    table,
    name: 'dataset-gates',
    topics: [Topics.events('lineage')],
    async setup(tx: Sql) {
      await tx.query(`CREATE TABLE IF NOT EXISTS ${table} (
        dataset_version_id text PRIMARY KEY, privacy text, bias text, eligible boolean NOT NULL DEFAULT false, eligible_since timestamptz)`);
      await tx.query(`ALTER TABLE ${table} ADD COLUMN IF NOT EXISTS revoked text`);
    },
    async handle(tx, message) {
      if (message.kind !== 'event') return;
      const event = message.event as EnvelopedEvent & { data: { datasetVersionId?: string; reason?: string } };
      if (!event.data.datasetVersionId) return;
      // A registered version is known (so naming it is judged, never waved through as unknown data).
      if (event.type === 'DatasetVersionRegistered') {
        await tx.query(`INSERT INTO ${table} (dataset_version_id) VALUES ($1) ON CONFLICT DO NOTHING`, [event.data.datasetVersionId]);
        return;
      }
      // A revocation is final: whatever arrives after it, the version stays ineligible.
      if (event.type === 'DatasetVersionTrainingEligibilityRevoked') {
        await tx.query(
          `INSERT INTO ${table} (dataset_version_id, revoked) VALUES ($1, $2) ON CONFLICT (dataset_version_id) DO UPDATE SET revoked = COALESCE(${table}.revoked, excluded.revoked)`,
          [event.data.datasetVersionId, event.data.reason || 'lineage revoked it'],
        );
        return;
      }
      const change = COLUMN_OF[event.type];
      if (!change || !event.data.datasetVersionId) return;
      // The walking skeleton's stub clearance ran no gate: it never made anything eligible.
      if (event.type === 'DatasetVersionClearedForTraining' && (event.data as { gate?: string }).gate === 'stub') return;
      const [column, value] = change;
      const since = column === 'eligible' ? new Date(event.envelope.occurredAt).toISOString() : null;
      // Eligibility, once granted, is never taken back by a later fact delivered out of order.
      await tx.query(
        `INSERT INTO ${table} (dataset_version_id, ${column}, eligible_since) VALUES ($1, $2, $3)
         ON CONFLICT (dataset_version_id) DO UPDATE SET ${column} = ${column === 'eligible' ? 'true' : 'excluded.' + column},
           eligible_since = COALESCE(${table}.eligible_since, excluded.eligible_since)`,
        [event.data.datasetVersionId, value, since],
      );
    },
    async find(sql, ids) {
      const rows = await sql.query<{ dataset_version_id: string; privacy: string | null; bias: string | null; eligible: boolean; revoked: string | null }>(
        `SELECT dataset_version_id, privacy, bias, eligible, revoked FROM ${table} WHERE dataset_version_id = ANY($1)`, [[...ids]],
      );
      return new Map(rows.map((r) => [r.dataset_version_id, { datasetVersionId: r.dataset_version_id, privacy: r.privacy, bias: r.bias, eligible: r.eligible && r.revoked === null, revoked: r.revoked }]));
    },
  };
}
