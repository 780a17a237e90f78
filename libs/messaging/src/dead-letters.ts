import type { MessageBus, ReceivedMessage } from './message-bus';
import { Topics } from './topics';

/** Headers a dead letter carries besides the original message's own. */
export const DeadLetterHeaders = {
  /** `<error code>: <error message>` */
  reason: 'mgov-dlq-reason',
  /** The error code alone (e.g. CONTRACTS.BAD_MAGIC), for filtering. */
  code: 'mgov-dlq-code',
  sourceTopic: 'mgov-dlq-source-topic',
  sourcePartition: 'mgov-dlq-source-partition',
  sourceOffset: 'mgov-dlq-source-offset',
  sourceGroup: 'mgov-dlq-source-group',
} as const;

export type Decode<T> = (message: ReceivedMessage) => T | Promise<T>;

export interface DeadLetterOptions<T> {
  /** Turns the bytes into a typed message; throws (ideally an error with a `code`) when it cannot. */
  readonly decode: Decode<T>;
  /** The consumer group, recorded on the dead letter. */
  readonly groupId?: string;
  /** Where undecodable messages go (default `mgov.dlq`). */
  readonly topic?: string;
}

/**
 * Wraps a handler of decoded messages into a bus handler. A message `decode` rejects is published,
 * with its original key, value and headers plus the reason, to the dead-letter topic, and the
 * consumer moves on. Errors from `handle` are business failures: they propagate, so the bus retries.
 */
export function withDeadLetters<T>(
  bus: MessageBus,
  options: DeadLetterOptions<T> | Decode<T>,
  handle: (decoded: T, message: ReceivedMessage) => Promise<void>,
): (message: ReceivedMessage) => Promise<void> {
  const { decode, groupId, topic } = typeof options === 'function' ? { decode: options } as DeadLetterOptions<T> : options;
  const dlq = topic ?? Topics.dlq;
  return async (message) => {
    let decoded: T;
    try {
      decoded = await decode(message);
    } catch (error) {
      // If this publish fails the error propagates and the message is retried: nothing is lost.
      await bus.publish(dlq, [deadLetter(message, error, groupId)]);
      return;
    }
    await handle(decoded, message);
  };
}

function deadLetter(message: ReceivedMessage, error: unknown, groupId: string | undefined) {
  const code = errorCode(error);
  const text = error instanceof Error ? error.message : String(error);
  return {
    key: message.key,
    value: message.value,
    headers: {
      ...message.headers,
      [DeadLetterHeaders.reason]: `${code}: ${text}`,
      [DeadLetterHeaders.code]: code,
      [DeadLetterHeaders.sourceTopic]: message.topic,
      [DeadLetterHeaders.sourcePartition]: String(message.partition),
      [DeadLetterHeaders.sourceOffset]: message.offset,
      ...(groupId ? { [DeadLetterHeaders.sourceGroup]: groupId } : {}),
    },
  };
}

function errorCode(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && code !== '') return code;
  return error instanceof Error ? error.name : 'UNDECODABLE';
}
