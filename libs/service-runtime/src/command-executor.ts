import { randomUUID } from 'node:crypto';
import { type AvroCodec, type DomainEvent, type EnvelopedEvent } from '@mgov/contracts';
import type { Sql } from '@mgov/event-store';
import { activeTraceContext, Attr, inSpan, SpanName } from '@mgov/telemetry';
import type { CommandMetadata, Decider } from '@mgov/decider';
import { envelope } from './enveloping';
import type { StreamStore } from './ports';

export interface CommandExecution<C extends { type: string; metadata: CommandMetadata }, E extends DomainEvent, S> {
  readonly streamId: string;
  readonly decider: Decider<C, E, S>;
  readonly command: C;
  readonly links: (event: E, decided: readonly E[]) => readonly string[];
  /** Run inside the caller's transaction (a reactor's inbox transaction). */
  readonly tx?: Sql;
}

const MAX_CONFLICT_RETRIES = 3;

/**
 * Loads a stream, folds it, decides, envelopes and appends with the version it read: a
 * concurrent writer makes the append fail, and the command is decided again on fresh state.
 */
export class CommandExecutor {
  constructor(
    private readonly store: StreamStore,
    private readonly codec: AvroCodec,
    private readonly afterAppend: () => void = () => undefined,
    private readonly newId: () => string = randomUUID,
    private readonly serviceName = 'mgov',
  ) {}

  async execute<C extends { type: string; metadata: CommandMetadata }, E extends DomainEvent, S>(
    execution: CommandExecution<C, E, S>,
  ): Promise<EnvelopedEvent[]> {
    const attributes = { [Attr.service]: this.serviceName, [Attr.commandType]: execution.command.type, [Attr.streamId]: execution.streamId };
    return inSpan(SpanName.command(execution.command.type), attributes, async () => {
      for (let attempt = 1; ; attempt++) {
        try {
          return await this.attempt(execution);
        } catch (error) {
          const conflict = (error as { code?: string }).code === 'EVENT_STORE.CONCURRENCY_CONFLICT';
          // Inside a caller's transaction a retry cannot see fresh state; let the caller redeliver.
          if (!conflict || execution.tx || attempt >= MAX_CONFLICT_RETRIES) throw error;
        }
      }
    });
  }

  private async attempt<C extends { type: string; metadata: CommandMetadata }, E extends DomainEvent, S>(
    { streamId, decider, command, links, tx }: CommandExecution<C, E, S>,
  ): Promise<EnvelopedEvent[]> {
    const history = await this.store.readStream(streamId, { tx });
    const state = history.map((stored) => this.codec.decodeEvent(stored.data) as unknown as E).reduce(decider.evolve, decider.initialState());
    const decided = decider.decide(command, state);
    if (decided.length === 0) return [];
    const enveloped = envelope(decided, {
      streamId,
      fromVersion: history.length,
      metadata: command.metadata,
      newId: this.newId,
      trace: activeTraceContext(),
      links: links as (event: DomainEvent, decided: readonly DomainEvent[]) => readonly string[],
    });
    const rows = enveloped.map((event) => ({ eventId: event.envelope.eventId, type: event.type, data: this.codec.encodeEvent(event) }));
    await this.store.append(streamId, history.length, rows, tx);
    if (!tx) this.afterAppend();
    return enveloped;
  }
}
