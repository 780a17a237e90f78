import { EventEmitter } from 'node:events';
import type { Database } from '@mgov/event-store';

/**
 * What the embedded buses on one database share inside this process: wake-ups after a publish
 * and the lease that lets one consumer per group run at a time.
 */
export interface BusHub {
  /** Call `listener` whenever something is published to (schema, topic); returns the unsubscribe. */
  onPublished(schema: string, topic: string, listener: () => void): () => void;
  published(schema: string, topic: string): void;
  /** Takes the group's lease if it is free (or already `holder`'s). */
  tryLease(schema: string, groupId: string, holder: object): boolean;
  /** Gives the lease back and wakes the group's other consumers. */
  release(schema: string, groupId: string, holder: object): void;
  onReleased(schema: string, groupId: string, listener: () => void): () => void;
}

const hubs = new WeakMap<Database, BusHub>();

export function busHub(db: Database): BusHub {
  let hub = hubs.get(db);
  if (!hub) {
    hub = createHub();
    hubs.set(db, hub);
  }
  return hub;
}

function createHub(): BusHub {
  const events = new EventEmitter();
  events.setMaxListeners(0);
  const leases = new Map<string, object>();
  const on = (channel: string, listener: () => void) => {
    events.on(channel, listener);
    return () => void events.off(channel, listener);
  };
  const topicChannel = (schema: string, topic: string) => `published\0${schema}\0${topic}`;
  const groupKey = (schema: string, groupId: string) => `${schema}\0${groupId}`;

  return {
    onPublished: (schema, topic, listener) => on(topicChannel(schema, topic), listener),
    published: (schema, topic) => void events.emit(topicChannel(schema, topic)),
    tryLease(schema, groupId, holder) {
      const key = groupKey(schema, groupId);
      const current = leases.get(key);
      if (current && current !== holder) return false;
      leases.set(key, holder);
      return true;
    },
    release(schema, groupId, holder) {
      const key = groupKey(schema, groupId);
      if (leases.get(key) !== holder) return;
      leases.delete(key);
      events.emit(`released\0${key}`);
    },
    onReleased: (schema, groupId, listener) => on(`released\0${groupKey(schema, groupId)}`, listener),
  };
}
