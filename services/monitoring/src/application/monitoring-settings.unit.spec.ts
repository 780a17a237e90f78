import { monitoringOptionsFromEnv } from './monitoring-settings';

describe('monitoring settings from the environment', () => {
  it('leaves unset values to the defaults and reads the set ones', () => {
    expect(monitoringOptionsFromEnv(50, {})).toEqual({ windowSize: 50, outcomeHorizonMs: undefined, maxAwaitingLabels: undefined, allowedLatenessMs: undefined, maxFutureSkewMs: undefined, joinCheckpointMs: undefined, fetchThread: true, helperThreadsNice: undefined });
    expect(monitoringOptionsFromEnv(50, { MGOV_MONITORING_OUTCOME_HORIZON_MS: '86400000', MGOV_MONITORING_MAX_AWAITING_LABELS: '1000000', MGOV_MONITORING_ALLOWED_LATENESS_MS: '0', MGOV_MONITORING_MAX_FUTURE_SKEW_MS: '60000', MGOV_MONITORING_JOIN_CHECKPOINT_MS: '0', MGOV_MONITORING_FETCH_THREAD: 'false', MGOV_MONITORING_HELPER_THREADS_NICE: '10' }))
      .toEqual({ windowSize: 50, outcomeHorizonMs: 86_400_000, maxAwaitingLabels: 1_000_000, allowedLatenessMs: 0, maxFutureSkewMs: 60_000, joinCheckpointMs: 0, fetchThread: false, helperThreadsNice: 10 });
  });

  it.each([
    ['MGOV_MONITORING_MAX_AWAITING_LABELS', 'lots'],
    ['MGOV_MONITORING_MAX_AWAITING_LABELS', '0'],
    ['MGOV_MONITORING_OUTCOME_HORIZON_MS', '1.5'],
    ['MGOV_MONITORING_ALLOWED_LATENESS_MS', '-1'],
    ['MGOV_MONITORING_FETCH_THREAD', 'yes please'],
    ['MGOV_MONITORING_HELPER_THREADS_NICE', '20'],
    ['MGOV_MONITORING_HELPER_THREADS_NICE', '-5'],
  ])('refuses %s=%s, naming the variable', (name, value) => {
    expect(() => monitoringOptionsFromEnv(50, { [name]: value })).toThrow(name);
  });
});
