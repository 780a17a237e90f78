import { Counter, Gauge, Histogram, register } from 'prom-client';
import type { WindowMetrics } from '@mgov/monitoring-domain';

function metric<T>(name: string, make: () => T): T {
  return (register.getSingleMetric(name) as T | undefined) ?? make();
}

/** The latest window's metrics per model version (process-wide, as the registry is), read at each scrape. */
const latest = new Map<string, { readonly model: string; readonly version: string; readonly metrics: WindowMetrics }>();
/** Metrics already set on the gauges: each of the four gauges' scrape calls collectLatest. */
const collectedAt = new WeakSet<WindowMetrics>();

/** Sets the latest-window gauges from `latest`; the four gauges share one pass per scrape. */
function collectLatest(drift: Gauge, performance: Gauge, bias: Gauge, share: Gauge): void {
  for (const { model, version, metrics } of latest.values()) {
    if (collectedAt.has(metrics)) continue;
    collectedAt.add(metrics);
    for (const f of metrics.features) for (const [name, value] of Object.entries(f.metrics)) drift.set({ model, version, feature: f.feature, metric: name }, value);
    for (const p of metrics.performance) performance.set({ model, version, metric: p.metric }, p.value);
    for (const b of metrics.bias) bias.set({ model, version, attribute: b.attribute, metric: b.metric }, b.value);
    share.set({ model, version }, metrics.driftShare);
  }
}

/** Prometheus gauges of the latest window per model version (on the process registry, served at /metrics). */
export function monitoringGauges() {
  const consumed = metric('mgov_monitoring_events_consumed_total', () => new Counter({ name: 'mgov_monitoring_events_consumed_total', help: 'Prediction and outcome events counted' }));
  const dead = metric('mgov_monitoring_dead_letters_total', () => new Counter({ name: 'mgov_monitoring_dead_letters_total', help: 'Undecodable prediction/outcome events sent to mgov.dlq' }));
  const unmonitored = metric('mgov_monitoring_unmonitored_predictions_total', () => new Counter({ name: 'mgov_monitoring_unmonitored_predictions_total', help: 'Predictions for model versions monitoring does not know' }));
  const awaiting = metric('mgov_monitoring_awaiting_labels', () => new Gauge({ name: 'mgov_monitoring_awaiting_labels', help: 'Predictions and outcomes waiting to be joined' }));
  const lag = metric('mgov_monitoring_event_time_lag_seconds', () => new Gauge({ name: 'mgov_monitoring_event_time_lag_seconds', help: 'Wall clock minus the newest prediction event time counted: how far behind real time monitoring is (or how old the traffic it reads)' }));
  const batchSeconds = metric('mgov_monitoring_batch_seconds', () => new Histogram({ name: 'mgov_monitoring_batch_seconds', help: 'Time to count and store one batch of predictions and outcomes', buckets: [0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5] }));
  const expired = metric('mgov_monitoring_labels_expired', () => new Gauge({ name: 'mgov_monitoring_labels_expired', help: 'Predictions and outcomes dropped unjoined since start (past the horizon, or the oldest when the join was full)' }));
  // Latest-window gauges are set when scraped, from the latest metrics kept per model version: setting
  // a labelled gauge hashes its labels, and a window has a value per feature and metric.
  const collect = () => collectLatest(drift, performance, bias, share);
  const drift: Gauge = metric('mgov_monitoring_feature_drift', () => new Gauge({ name: 'mgov_monitoring_feature_drift', help: 'Latest window drift metric per feature', labelNames: ['model', 'version', 'feature', 'metric'], collect }));
  const performance: Gauge = metric('mgov_monitoring_performance', () => new Gauge({ name: 'mgov_monitoring_performance', help: 'Latest window performance metric', labelNames: ['model', 'version', 'metric'], collect }));
  const bias: Gauge = metric('mgov_monitoring_bias', () => new Gauge({ name: 'mgov_monitoring_bias', help: 'Latest window fairness metric', labelNames: ['model', 'version', 'attribute', 'metric'], collect }));
  const share: Gauge = metric('mgov_monitoring_drift_share', () => new Gauge({ name: 'mgov_monitoring_drift_share', help: 'Share of drifted features in the latest window', labelNames: ['model', 'version'], collect }));
  const alerts = metric('mgov_monitoring_alerts_total', () => new Counter({ name: 'mgov_monitoring_alerts_total', help: 'Alerts raised', labelNames: ['model', 'version'] }));
  return {
    consumed(count: number, join: { readonly size: number; readonly expired: number }, seconds: number, newestEventTime: number, now: number) {
      consumed.inc(count);
      awaiting.set(join.size);
      expired.set(join.expired);
      batchSeconds.observe(seconds);
      if (Number.isFinite(newestEventTime)) lag.set(Math.max(0, (now - newestEventTime) / 1000));
    },
    deadLettered: (count: number) => dead.inc(count),
    unmonitored: (count: number) => unmonitored.inc(count),
    evaluated(model: string, versionNumber: number, metrics: WindowMetrics, alertCount: number) {
      const version = String(versionNumber);
      latest.set(`${model}\u0000${version}`, { model, version, metrics });
      if (alertCount > 0) alerts.inc({ model, version }, alertCount);
    },
  };
}

export type MonitoringGauges = ReturnType<typeof monitoringGauges>;
