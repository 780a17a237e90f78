import { pollLoop, type PollLoop } from '@mgov/event-store';
import type { Logger } from '@mgov/telemetry';

export type WakeLoop = PollLoop;

/** The event store's poll loop, with failures logged as structured errors of this component. */
export function wakeLoop(step: () => Promise<number>, options: { intervalMs: number; log: Logger; what: string }): WakeLoop {
  return pollLoop(step, {
    intervalMs: options.intervalMs,
    onError: (error) => options.log.error({ err: error }, `${options.what} failed; retrying`),
  });
}
