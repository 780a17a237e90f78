import type { Database } from './database';
import { quoteIdentifier } from './schema-name';

export interface AppRoleOptions {
  /** Set (or reset) the role's login password; omit for trust/peer authentication. */
  readonly password?: string;
}

/**
 * Creates the login role a service runs as (if missing) and grants it exactly what the store
 * needs: read and append on the log, the chain heads and checkpoints, and CREATE on the schema
 * for its projections. It gets no UPDATE, DELETE, TRUNCATE or TRIGGER on `events` and does not
 * own it, so it cannot disable the append-only triggers either (invariant 2). Run as the owner.
 */
export async function createAppRole(db: Database, schema: string, role: string, options: AppRoleOptions = {}): Promise<void> {
  const s = quoteIdentifier(schema);
  const r = quoteIdentifier(role);
  await db.transaction(async (tx) => {
    const existing = await tx.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [role]);
    if (existing.length === 0) await tx.query(`CREATE ROLE ${r} LOGIN`);
    if (options.password !== undefined) {
      await tx.query(`ALTER ROLE ${r} PASSWORD '${options.password.replace(/'/g, "''")}'`);
    }
    for (const statement of [
      `GRANT USAGE, CREATE ON SCHEMA ${s} TO ${r}`,
      `REVOKE ALL ON ${s}.events FROM ${r}`,
      `GRANT SELECT, INSERT ON ${s}.events TO ${r}`,
      `GRANT USAGE ON SEQUENCE ${s}.events_position_seq TO ${r}`,
      `GRANT SELECT, INSERT, UPDATE ON ${s}.streams TO ${r}`,
      `GRANT SELECT, INSERT, UPDATE, DELETE ON ${s}.checkpoints TO ${r}`,
      `GRANT EXECUTE ON FUNCTION ${s}.append_events(text, int, uuid[], text[], bytea[]) TO ${r}`,
    ]) {
      await tx.query(statement);
    }
  });
}
