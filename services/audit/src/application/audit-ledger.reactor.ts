import { EVENT_CONTEXT } from '@mgov/contracts';
import type { Sql } from '@mgov/event-store';
import type { DecodedMessage, Reactor, ServiceRuntime } from '@mgov/service-runtime';
import { appendToLedger, setupLedger } from './ledger';

/** The event topics of every context (`mgov.<context>.events`, as Topics.events names them). */
export const AUDITED_TOPICS: readonly string[] = [...new Set(Object.values(EVENT_CONTEXT))].sort().map((context) => `mgov.${context}.events`);

/**
 * What the ledger would like from a delivery beyond the decoded event. DecodedMessage does not carry
 * these yet; until it does, the payload is re-encoded (byte-identical while the writer schema is the
 * newest one) and partition/offset stay null.
 */
type Delivery = Extract<DecodedMessage, { kind: 'event' }> & {
  readonly bytes?: Buffer;
  readonly partition?: number;
  readonly offset?: string;
};

/** Appends every event of every context to the audit ledger, in the kernel's inbox transaction. */
export function auditLedgerReactor(runtime: Pick<ServiceRuntime, 'schema' | 'codec'>): Reactor {
  return {
    name: 'audit-ledger',
    topics: AUDITED_TOPICS,
    setup: (tx: Sql) => setupLedger(tx, runtime.schema),
    async handle(tx: Sql, message: DecodedMessage) {
      if (message.kind !== 'event') return;
      const delivery: Delivery = message;
      await appendToLedger(tx, runtime.schema, {
        event: delivery.event,
        payload: delivery.bytes ?? runtime.codec.encodeEvent(delivery.event),
        source: { topic: delivery.topic, partition: delivery.partition ?? null, offset: delivery.offset ?? null },
      });
    },
  };
}
