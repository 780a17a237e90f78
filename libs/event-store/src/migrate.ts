import type { Database } from './database';
import { appendEventsSql } from './schema/append-events.sql';
import { appendOnlySql, tablesSql } from './schema/tables.sql';
import { quoteIdentifier } from './schema-name';

/** Any fixed key: serializes concurrent migrations of any schema in this database. */
const MIGRATION_LOCK = 7_310_150_411;

/**
 * Creates (or brings up to date) the event store in `schema`: events, streams, checkpoints, the
 * append-only triggers and `append_events`. Idempotent; safe to run from several processes at once.
 */
export async function migrate(db: Database, schema: string): Promise<void> {
  const s = quoteIdentifier(schema);
  await db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    for (const statement of [...tablesSql(s), ...appendOnlySql(s), ...appendEventsSql(s)]) {
      await tx.query(statement);
    }
  });
}
