import type { EventStore } from '@mgov/event-store';

/** What command handling needs from a service's event store. */
export type StreamStore = Pick<EventStore, 'db' | 'schema' | 'append' | 'readStream'>;

export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };
