import { types as pgTypes } from 'pg';
import { DataSource, type QueryRunner } from 'typeorm';
import type { Database, Sql } from './database';
import { quoteIdentifier } from './schema-name';
import { toEventStoreError } from './sql-error';

export interface PostgresDatabaseOptions {
  /** Put first on every session's search_path, so a service's unqualified names land in its schema. */
  readonly schema?: string;
  /** Maximum connections in the pool (default 10). */
  readonly poolSize?: number;
  readonly applicationName?: string;
}

/** The distributed runtime's database: a TypeORM DataSource over the pg driver. */
export interface PostgresDatabase extends Database {
  readonly kind: 'postgres';
  readonly dataSource: DataSource;
}

const INT8 = 20;
const INT8_ARRAY = 1016;

// Per-pool parsers, so a process-wide `pg.defaults.parseInt8` cannot change what the store reads:
// bigint stays a decimal string, exactly as the embedded adapter returns it.
const typeParsers = {
  getTypeParser(oid: number, format?: 'text' | 'binary'): (value: string) => unknown {
    if (oid === INT8) return (value) => value;
    if (oid === INT8_ARRAY) return parseInt8Array;
    return format === 'binary' ? pgTypes.getTypeParser(oid, 'binary') : pgTypes.getTypeParser(oid, 'text');
  },
};

/** Opens a pooled PostgreSQL database; transactions run on one QueryRunner (one connection). */
export async function postgresDatabase(url: string, options: PostgresDatabaseOptions = {}): Promise<PostgresDatabase> {
  const searchPath = options.schema ? `-c search_path=${quoteIdentifier(options.schema).slice(1, -1)},public` : undefined;
  const dataSource = new DataSource({
    type: 'postgres',
    url,
    poolSize: options.poolSize ?? 10,
    applicationName: options.applicationName ?? 'mgov',
    ...(options.schema ? { schema: options.schema } : {}),
    synchronize: false,
    logging: false,
    entities: [],
    extra: { types: typeParsers, ...(searchPath ? { options: searchPath } : {}) },
  });
  await dataSource.initialize();

  const withRunner = async <T>(work: (runner: QueryRunner) => Promise<T>): Promise<T> => {
    const runner = dataSource.createQueryRunner('master');
    try {
      return await work(runner);
    } finally {
      await runner.release();
    }
  };

  return {
    kind: 'postgres',
    dataSource,
    query: <Row>(text: string, params?: readonly unknown[]) => withRunner((runner) => runQuery<Row>(runner, text, params)),
    transaction: <T>(work: (tx: Sql) => Promise<T>) =>
      withRunner(async (runner) => {
        await runner.connect();
        await runner.startTransaction();
        try {
          const result = await work({ query: (text, params) => runQuery(runner, text, params) });
          await runner.commitTransaction();
          return result;
        } catch (error) {
          if (runner.isTransactionActive) await runner.rollbackTransaction().catch(() => undefined);
          throw toEventStoreError(error);
        }
      }),
    close: async () => {
      if (dataSource.isInitialized) await dataSource.destroy();
    },
  };
}

async function runQuery<Row>(runner: QueryRunner, text: string, params?: readonly unknown[]): Promise<Row[]> {
  try {
    const result = await runner.query(text, params ? [...params] : undefined, true);
    return (result.records ?? []) as Row[];
  } catch (error) {
    throw toEventStoreError(error);
  }
}

function parseInt8Array(value: string): (string | null)[] {
  const inner = value.slice(1, -1);
  return inner === '' ? [] : inner.split(',').map((item) => (item === 'NULL' ? null : item));
}
