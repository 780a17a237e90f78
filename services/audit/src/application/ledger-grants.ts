import type { Database } from '@mgov/event-store';
import { ledgerSchema } from './ledger';

/**
 * Grants a service role exactly what the audit service needs (run as the ledger's owner, after
 * `migrateLedger`): read and append the ledger, the access log and the digests, move the chain head. No UPDATE,
 * DELETE or TRUNCATE on the ledger, and not its owner, so it cannot disable the triggers either.
 */
export async function grantLedgerAccess(db: Database, schema: string, role: string): Promise<void> {
  const s = ledgerSchema(schema);
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(role)) throw new Error(`"${role}" is not a valid role name: use lower-case letters, digits and "_"`);
  const r = `"${role}"`;
  await db.transaction(async (tx) => {
    for (const statement of [
      `GRANT USAGE ON SCHEMA ${s} TO ${r}`,
      `REVOKE ALL ON ${s}.ledger, ${s}.ledger_head, ${s}.access_log, ${s}.digests, ${s}.digest_deliveries FROM ${r}`,
      `GRANT SELECT, INSERT ON ${s}.ledger, ${s}.access_log, ${s}.digests, ${s}.digest_deliveries TO ${r}`,
      `GRANT SELECT, UPDATE ON ${s}.ledger_head TO ${r}`,
      `GRANT USAGE ON SEQUENCE ${s}.ledger_position_seq, ${s}.access_log_id_seq, ${s}.digests_id_seq TO ${r}`,
    ]) {
      await tx.query(statement);
    }
  });
}
