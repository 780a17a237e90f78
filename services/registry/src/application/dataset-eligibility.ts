import type { Sql } from '@mgov/event-store';
import { Topics } from '@mgov/messaging';
import type { DecodedMessage, Reactor } from '@mgov/service-runtime';

/**
 * Lineage's eligibility facts per dataset version, as registry needs them when a run becomes a
 * candidate: cleared for training by the real gates (privacy + bias, or a waiver), and not revoked since
 * (a revoked source license revokes every version downstream).
 */
export function datasetEligibility(schema: string) {
  const table = `${schema}.dataset_eligibility_v1`;
  const reactor: Reactor = {
    name: 'dataset-eligibility',
    topics: [Topics.events('lineage')],
    async setup(tx: Sql) {
      await tx.query(`CREATE TABLE IF NOT EXISTS ${table} (
        dataset_version_id text PRIMARY KEY, cleared boolean NOT NULL DEFAULT false, revoked_reason text)`);
    },
    async handle(tx: Sql, message: DecodedMessage) {
      if (message.kind !== 'event') return;
      const event = message.event;
      if (event.type === 'DatasetVersionClearedForTraining') {
        // The walking skeleton's stub clearance ran no gate: it never made anything eligible.
        if ((event.data as { gate?: string }).gate === 'stub') return;
        await tx.query(`INSERT INTO ${table} (dataset_version_id, cleared) VALUES ($1, true) ON CONFLICT (dataset_version_id) DO UPDATE SET cleared = true`, [
          event.data.datasetVersionId,
        ]);
      }
      if (event.type === 'DatasetVersionTrainingEligibilityRevoked') {
        // A revocation is final, whatever order the facts arrive in.
        await tx.query(`INSERT INTO ${table} (dataset_version_id, revoked_reason) VALUES ($1, $2)
          ON CONFLICT (dataset_version_id) DO UPDATE SET revoked_reason = COALESCE(${table}.revoked_reason, excluded.revoked_reason)`, [
          event.data.datasetVersionId, event.data.reason || 'revoked',
        ]);
      }
    },
  };
  return {
    reactor,
    table,
    /** The versions among `ids` that may not be trained on, each with why. */
    async ineligible(sql: Sql, ids: readonly string[]): Promise<Array<{ datasetVersionId: string; reason: string }>> {
      const rows = await sql.query<{ dataset_version_id: string; cleared: boolean; revoked_reason: string | null }>(
        `SELECT * FROM ${table} WHERE dataset_version_id = ANY($1)`, [[...ids]],
      );
      const byId = new Map(rows.map((r) => [r.dataset_version_id, r]));
      return ids.flatMap((id) => {
        const row = byId.get(id);
        if (row?.revoked_reason) return [{ datasetVersionId: id, reason: `its training eligibility was revoked (${row.revoked_reason})` }];
        if (!row?.cleared) return [{ datasetVersionId: id, reason: 'lineage has not cleared it for training (privacy gate and bias scan, or a waiver)' }];
        return [];
      });
    },
  };
}
