import type { Logger } from '@mgov/telemetry';

export interface WakeLoop {
  /** Run the next step now instead of after the idle interval. A notify during a step is kept. */
  notify(): void;
  /** Stops the loop; resolves once the step in progress has finished. */
  stop(): Promise<void>;
}

/**
 * Runs `step` until stopped: again at once while it reports progress (> 0), otherwise after
 * `intervalMs` or on `notify()`. A failing step is logged and retried after `intervalMs`.
 */
export function wakeLoop(step: () => Promise<number>, options: { intervalMs: number; log: Logger; what: string }): WakeLoop {
  let stopped = false;
  let notified = false;
  let wake: (() => void) | undefined;

  const idle = () =>
    new Promise<void>((resolve) => {
      if (notified || stopped) return resolve();
      const done = () => {
        clearTimeout(timer);
        wake = undefined;
        resolve();
      };
      const timer = setTimeout(done, options.intervalMs);
      wake = done;
    });

  const running = (async () => {
    while (!stopped) {
      notified = false;
      let progressed = false;
      try {
        progressed = (await step()) > 0;
      } catch (error) {
        options.log.error({ err: error }, `${options.what} failed; retrying`);
        notified = false;
      }
      if (!progressed) await idle();
    }
  })();

  return {
    notify() {
      notified = true;
      wake?.();
    },
    stop() {
      stopped = true;
      wake?.();
      return running;
    },
  };
}
