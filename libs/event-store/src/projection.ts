import type { Sql } from './database';
import type { StoredEvent } from './stored-event';

/**
 * A read model fed from the global log. Every method runs inside the runner's transaction, the
 * same one that moves the checkpoint. Handlers must be idempotent: applying an event again
 * changes nothing (invariant 5) — e.g. guard upserts with the stream version already applied.
 */
export interface Projection {
  readonly name: string;
  /** Bump to rebuild beside the old version: the checkpoint is kept per name and version. */
  readonly version: number;
  /** Create the projection's tables if missing. */
  setup(tx: Sql): Promise<void>;
  handle(tx: Sql, event: StoredEvent): Promise<void>;
  /** Optional faster path: must leave the same state as `handle` on each event in order. */
  handleBatch?(tx: Sql, events: readonly StoredEvent[]): Promise<void>;
  /** Empty the projection's tables (for a rebuild). */
  reset(tx: Sql): Promise<void>;
}

/** The checkpoint key of a projection version. */
export function projectionSubscriber(projection: Pick<Projection, 'name' | 'version'>): string {
  return `projection:${projection.name}:v${projection.version}`;
}
