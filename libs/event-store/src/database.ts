/** A SQL session: the only thing stores, projections and consumers need from a database. */
export interface Sql {
  query<Row = Record<string, unknown>>(text: string, params?: readonly unknown[]): Promise<Row[]>;
}

/**
 * A database both runtimes provide: PostgreSQL through TypeORM + pg (distributed) and
 * PGlite in-process (embedded). `transaction` runs `work` in one transaction on one session
 * and commits when it resolves, rolls back when it throws.
 */
export interface Database extends Sql {
  readonly kind: 'postgres' | 'pglite';
  transaction<T>(work: (tx: Sql) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}
