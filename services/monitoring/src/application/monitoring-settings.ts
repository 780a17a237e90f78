import type { MonitoringOptions } from './monitoring-service';

/** Deployment settings of the monitoring service read from its environment; a bad value stops the start with the variable named. */
export const MONITORING_ENV = {
  outcomeHorizonMs: 'MGOV_MONITORING_OUTCOME_HORIZON_MS',
  maxAwaitingLabels: 'MGOV_MONITORING_MAX_AWAITING_LABELS',
  allowedLatenessMs: 'MGOV_MONITORING_ALLOWED_LATENESS_MS',
  maxFutureSkewMs: 'MGOV_MONITORING_MAX_FUTURE_SKEW_MS',
  joinCheckpointMs: 'MGOV_MONITORING_JOIN_CHECKPOINT_MS',
  helperThreadsNice: 'MGOV_MONITORING_HELPER_THREADS_NICE',
} as const;
export const MONITORING_FETCH_THREAD_ENV = 'MGOV_MONITORING_FETCH_THREAD';

export function monitoringOptionsFromEnv(windowSize: number, env: NodeJS.ProcessEnv = process.env): MonitoringOptions {
  const read = (key: keyof typeof MONITORING_ENV, min: number, max = Number.MAX_SAFE_INTEGER): number | undefined => {
    const name = MONITORING_ENV[key];
    const raw = env[name];
    if (raw === undefined || raw.trim() === '') return undefined;
    const value = Number(raw);
    if (!Number.isSafeInteger(value) || value < min || value > max) {
      throw new Error(`${name} must be an integer ${max === Number.MAX_SAFE_INTEGER ? `>= ${min}` : `from ${min} to ${max}`}, got ${JSON.stringify(raw)}`);
    }
    return value;
  };
  const fetchThread = env[MONITORING_FETCH_THREAD_ENV]?.trim();
  if (fetchThread !== undefined && fetchThread !== '' && fetchThread !== 'true' && fetchThread !== 'false') {
    throw new Error(`${MONITORING_FETCH_THREAD_ENV} must be true or false, got ${JSON.stringify(fetchThread)}`);
  }
  return { windowSize, outcomeHorizonMs: read('outcomeHorizonMs', 1), maxAwaitingLabels: read('maxAwaitingLabels', 1), allowedLatenessMs: read('allowedLatenessMs', 0),
    maxFutureSkewMs: read('maxFutureSkewMs', 0), joinCheckpointMs: read('joinCheckpointMs', 0), fetchThread: fetchThread !== 'false',
    helperThreadsNice: read('helperThreadsNice', 0, 19),
  };
}
