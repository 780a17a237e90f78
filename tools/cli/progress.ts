import { Presets, SingleBar } from 'cli-progress';

export interface Progress {
  advance(step: number): void;
  stop(): void;
}

/** A progress bar on stderr when a person watches it; silent when stderr is piped or logged. */
export function progressOf(total: number, unit: string): Progress {
  if (!process.stderr.isTTY) return { advance: () => undefined, stop: () => undefined };
  const bar = new SingleBar({ stream: process.stderr, hideCursor: true, format: `{bar} {value}/{total} ${unit} | {percentage}% | eta {eta_formatted}` }, Presets.shades_classic);
  bar.start(total, 0);
  return { advance: (step) => bar.increment(step), stop: () => bar.stop() };
}
