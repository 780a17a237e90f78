import type { Database, NewEvent, Sql, StoredEvent } from '@mgov/event-store';

/** What command handling needs from a service's event store. */
export interface StreamStore {
  readonly db: Database;
  readStream(streamId: string, tx?: Sql): Promise<StoredEvent[]>;
  append(streamId: string, expectedVersion: number, events: NewEvent[], tx?: Sql): Promise<unknown>;
}

export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };
