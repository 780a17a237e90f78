import pino, { type Logger } from 'pino';

const root = pino({
  level: process.env.MGOV_LOG_LEVEL ?? 'info',
  base: { app: 'mgov' },
  timestamp: pino.stdTimeFunctions.isoTime,
});

/** Structured JSON logs, one child logger per service or component. */
export function logger(component: string): Logger {
  return root.child({ component });
}

export type { Logger };
