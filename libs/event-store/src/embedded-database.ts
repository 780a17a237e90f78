import type { PGlite, Transaction } from '@electric-sql/pglite';
import { AsyncMutex } from './async-mutex';
import type { Database, Sql } from './database';
import { loadPglite, type PgliteModule } from './load-pglite';
import { toEventStoreError } from './sql-error';

/** The embedded runtime's database: PostgreSQL compiled to WASM, in this process. */
export interface EmbeddedDatabase extends Database {
  readonly kind: 'pglite';
  readonly pglite: PGlite;
}

// Same JS types as the pg adapter: bigint → decimal string, bytea → Buffer. Dates and JSON are
// rebuilt in this realm, since PGlite may be loaded outside a test sandbox (see loadPglite).
function parsersOf({ types }: PgliteModule) {
  const inThisRealm = (oid: number) => {
    const parse = types.parsers[oid] as (value: string) => Date;
    return (value: string) => {
      const parsed = parse(value);
      return typeof parsed?.getTime === 'function' ? new Date(parsed.getTime()) : parsed;
    };
  };
  return {
    [types.INT8]: (value: string) => value,
    [types.BYTEA]: (value: string) => Buffer.from(value.slice(2), 'hex'),
    [types.TIMESTAMPTZ]: inThisRealm(types.TIMESTAMPTZ),
    [types.TIMESTAMP]: inThisRealm(types.TIMESTAMP),
    [types.DATE]: inThisRealm(types.DATE),
    [types.JSON]: (value: string): unknown => JSON.parse(value),
    [types.JSONB]: (value: string): unknown => JSON.parse(value),
  };
}

/**
 * Opens PGlite on `dataDir` (a directory, or 'memory://' for a throwaway database). PGlite has a
 * single session, so every standalone query and every transaction runs alone, in arrival order:
 * sessions never interleave. Inside `transaction(work)` use only `tx`; calling the database
 * itself from `work` would wait for the transaction that is waiting for it.
 */
export async function embeddedDatabase(dataDir: string = 'memory://'): Promise<EmbeddedDatabase> {
  const pgliteModule = loadPglite();
  const pglite = await pgliteModule.PGlite.create({ dataDir, parsers: parsersOf(pgliteModule) });
  const mutex = new AsyncMutex();
  let closed = false;

  return {
    kind: 'pglite',
    pglite,
    query: <Row>(text: string, params?: readonly unknown[]) =>
      mutex.run(async () => {
        try {
          return (await pglite.query<Row>(text, params ? [...params] : undefined)).rows;
        } catch (error) {
          throw toEventStoreError(error);
        }
      }),
    transaction: <T>(work: (tx: Sql) => Promise<T>) =>
      mutex.run(async () => {
        try {
          return await pglite.transaction((tx) => work(transactionSql(tx)));
        } catch (error) {
          throw toEventStoreError(error);
        }
      }),
    close: () =>
      mutex.run(async () => {
        if (closed) return;
        closed = true;
        await pglite.close();
      }),
  };
}

function transactionSql(tx: Transaction): Sql {
  return {
    query: async <Row>(text: string, params?: readonly unknown[]) => {
      try {
        return (await tx.query<Row>(text, params ? [...params] : undefined)).rows;
      } catch (error) {
        throw toEventStoreError(error);
      }
    },
  };
}
