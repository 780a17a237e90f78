export interface PollLoopOptions {
  /** How long to wait after a step that found nothing to do (default 1000 ms). */
  readonly intervalMs?: number;
  /** Called when a step throws; the loop waits one interval and tries again. */
  readonly onError?: (error: unknown) => void;
}

export interface PollLoop {
  /** Wake the loop now (e.g. right after an append) instead of at the next interval. */
  notify(): void;
  /** Stops the loop; resolves once the step in progress, if any, has finished. */
  stop(): Promise<void>;
}

/**
 * Runs `step` until stopped: again at once while it reports progress (> 0 items), otherwise after
 * `intervalMs` or on `notify()`, whichever comes first. A notify during a step is not lost.
 */
export function pollLoop(step: () => Promise<number>, options: PollLoopOptions = {}): PollLoop {
  const intervalMs = options.intervalMs ?? 1000;
  const onError = options.onError ?? ((error: unknown) => console.error('poll loop step failed:', error));
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
      const timer = setTimeout(done, intervalMs);
      wake = done;
    });

  const running = (async () => {
    await Promise.resolve(); // the first step runs after pollLoop() has returned its handle
    while (!stopped) {
      notified = false;
      let progressed = false;
      try {
        progressed = (await step()) > 0;
      } catch (error) {
        onError(error);
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
