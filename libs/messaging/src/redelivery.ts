import type { Logger } from '@mgov/telemetry';
import type { ReceivedMessage } from './message-bus';

export interface RedeliveryOptions {
  /** Aborted when the subscription stops: stop retrying and leave the message uncommitted. */
  readonly signal: AbortSignal;
  /** First pause after a failure; doubles per attempt up to `maxBackoffMs`. */
  readonly backoffMs: number;
  readonly maxBackoffMs?: number;
  readonly log: Logger;
  /** Runs before each retry (Kafka uses it to heartbeat, so a long retry does not cost the partition). */
  readonly beforeRetry?: () => Promise<void>;
}

/**
 * Calls `handle` until it resolves, pausing between attempts; never skips the message.
 * Resolves true once handled, false if the subscription stopped first (so nothing may be committed).
 */
export async function deliverUntilHandled(
  message: ReceivedMessage,
  handle: (message: ReceivedMessage) => Promise<void>,
  options: RedeliveryOptions,
): Promise<boolean> {
  for (let attempt = 1; !options.signal.aborted; attempt++) {
    try {
      await handle(message);
      return true;
    } catch (error) {
      const { topic, partition, offset, key } = message;
      options.log.warn({ err: error, topic, partition, offset, key, attempt }, 'message handler failed; the same message will be retried');
      await pause(backoffMs(attempt, options.backoffMs, options.maxBackoffMs), options.signal);
      if (!options.signal.aborted) await options.beforeRetry?.();
    }
  }
  return false;
}

/** The pause before retry `attempt` (1 for the first): `firstMs`, doubled per attempt up to `maxMs`. */
export function backoffMs(attempt: number, firstMs: number, maxMs = 10_000): number {
  return Math.min(firstMs * 2 ** (attempt - 1), maxMs);
}

/** Waits `ms`, or less if `signal` aborts first. Never rejects. */
export function pause(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}
