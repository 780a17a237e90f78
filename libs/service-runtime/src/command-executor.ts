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
/** Streams whose folded state is kept between commands (least recently used first out). */
const CACHED_STREAMS = 1_000;

interface Folded {
  readonly decider: object;
  readonly state: unknown;
  readonly version: number;
}

/**
 * Loads a stream, folds it, decides, envelopes and appends with the version it read: a
 * concurrent writer makes the append fail, and the command is decided again on fresh state.
 *
 * The folded state of recently used streams is kept, with the version it is at: the next command
 * reads only the events after it (another writer's included), so a long stream — a run logged one
 * metric per call — costs one short read per command, not a growing one. The append's version
 * check keeps this safe: state that fell behind fails the append, is dropped, and is read afresh.
 * Commands in a caller's transaction neither use nor fill the cache: it might still roll back.
 */
export class CommandExecutor {
  constructor(
    private readonly store: StreamStore,
    private readonly codec: AvroCodec,
    private readonly afterAppend: () => void = () => undefined,
    private readonly newId: () => string = randomUUID,
    private readonly serviceName = 'mgov',
  ) {}

  private readonly folded = new Map<string, Folded>();

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
          this.folded.delete(execution.streamId);
          // Inside a caller's transaction a retry cannot see fresh state; let the caller redeliver.
          if (!conflict || execution.tx || attempt >= MAX_CONFLICT_RETRIES) throw error;
        }
      }
    });
  }

  private async attempt<C extends { type: string; metadata: CommandMetadata }, E extends DomainEvent, S>(
    { streamId, decider, command, links, tx }: CommandExecution<C, E, S>,
  ): Promise<EnvelopedEvent[]> {
    const { state, version } = await this.load(streamId, decider, tx);
    const decided = decider.decide(command, state);
    if (decided.length === 0) return [];
    const enveloped = envelope(decided, {
      streamId,
      fromVersion: version,
      metadata: command.metadata,
      newId: this.newId,
      trace: activeTraceContext(),
      links: links as (event: DomainEvent, decided: readonly DomainEvent[]) => readonly string[],
    });
    const rows = enveloped.map((event) => ({ eventId: event.envelope.eventId, type: event.type, data: this.codec.encodeEvent(event) }));
    await this.store.append(streamId, version, rows, tx);
    if (tx) this.folded.delete(streamId);
    else {
      this.remember(streamId, { decider, state: decided.reduce(decider.evolve, state), version: version + decided.length });
      this.afterAppend();
    }
    return enveloped;
  }

  private async load<E extends DomainEvent, S>(streamId: string, decider: Decider<never, E, S>, tx: Sql | undefined): Promise<{ state: S; version: number }> {
    const cached = tx ? undefined : this.folded.get(streamId);
    const from = cached?.decider === decider ? { state: cached.state as S, version: cached.version } : { state: decider.initialState(), version: 0 };
    const tail = await this.store.readStream(streamId, { tx, fromVersion: from.version + 1 });
    const state = tail.map((stored) => this.codec.decodeEvent(stored.data) as unknown as E).reduce(decider.evolve, from.state);
    const version = from.version + tail.length;
    if (!tx && tail.length > 0) this.remember(streamId, { decider, state, version });
    return { state, version };
  }

  private remember(streamId: string, folded: Folded): void {
    this.folded.delete(streamId);
    this.folded.set(streamId, folded);
    if (this.folded.size > CACHED_STREAMS) this.folded.delete(this.folded.keys().next().value!);
  }
}
