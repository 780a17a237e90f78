import { type LogEntry, logLevel } from 'kafkajs';
import type { Logger } from '@mgov/telemetry';

/** Routes kafkajs' own logging into MGov's structured logs. */
export function kafkaLogCreator(log: Logger) {
  return () =>
    ({ namespace, level, log: { message, ...extra } }: LogEntry) => {
      const fields = { namespace, ...extra };
      if (level === logLevel.ERROR) log.error(fields, message);
      else if (level === logLevel.WARN) log.warn(fields, message);
      else if (level === logLevel.INFO) log.info(fields, message);
      else log.debug(fields, message);
    };
}
