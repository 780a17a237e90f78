import type { DomainEvent, EnvelopedEvent } from '@mgov/contracts';
import type { CommandMetadata } from '@mgov/decider';

export interface EnvelopeInput {
  readonly streamId: string;
  /** The stream's version before these events. */
  readonly fromVersion: number;
  readonly metadata: CommandMetadata;
  readonly newId: () => string;
  readonly trace: { readonly traceparent: string | null; readonly tracestate: string | null };
  /** What each event is about; `decided` is the whole batch, for facts decided together. */
  readonly links: (event: DomainEvent, decided: readonly DomainEvent[]) => readonly string[];
}

/** Wraps decided events in the common envelope (ids, position, actor, causality, trace, links). */
export function envelope(events: readonly DomainEvent[], input: EnvelopeInput): EnvelopedEvent[] {
  return events.map((event, i) => ({
    ...event,
    envelope: {
      eventId: input.newId(),
      eventType: event.type,
      streamId: input.streamId,
      streamVersion: input.fromVersion + i + 1,
      occurredAt: input.metadata.now,
      actor: input.metadata.actor,
      correlationId: input.metadata.correlationId,
      causationId: input.metadata.causationId ?? null,
      traceparent: input.trace.traceparent,
      tracestate: input.trace.tracestate,
      links: [...new Set([input.streamId, ...input.links(event, events)])],
    },
  })) as EnvelopedEvent[];
}
