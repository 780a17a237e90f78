import type { CommandMetadata } from '@mgov/decider';
import type { Outcome, Prediction } from '@mgov/contracts';
import { DomainError } from '@mgov/decider';
import { type BusMessage, Topics } from '@mgov/messaging';
import type { MonitoringPolicy, PolicyChange } from '@mgov/monitoring-domain';
import type { ServiceModule, ServiceRuntime } from '@mgov/service-runtime';
import { activeTraceContext } from '@mgov/telemetry';
import { baselines } from './baselines';
import { driftAlertsReadModel, type DriftAlertRow } from './drift-alerts-read-model';
import { monitoringGauges } from './monitoring-gauges';
import { monitoringPolicies } from './monitoring-policies';
import { MonitoringPipeline } from './monitoring-pipeline';
import { type SeriesPoint, windowSeriesReadModel } from './window-series-read-model';

const MAX_BATCH = 10_000;

export interface MonitoringOptions {
  /** Default window size in events (the policy may set another per model). */
  readonly windowSize: number;
  readonly outcomeHorizonMs?: number;
  readonly maxAwaitingLabels?: number;
  /** Time windows close when the stream's event time is this far past them (default 10 s). */
  readonly allowedLatenessMs?: number;
  /** Event times further ahead of the clock than this do not move the stream's event time (default 5 min). */
  readonly maxFutureSkewMs?: number;
  /**
   * How often the label join is saved with a batch (default 60 s; 0: with every batch). After a
   * crash, the join of the last save comes back; labels of predictions made since are lost.
   */
  readonly joinCheckpointMs?: number;
  /** Kafka: fetch on a thread of its own (default on; see PipelineOptions.fetchThread). */
  readonly fetchThread?: boolean;
  /** The process's other threads yield to the pipeline's by this much (Linux nice; see PipelineOptions.helperThreadsNice). */
  readonly helperThreadsNice?: number;
}


/** A breach one window ago is still the version's standing: one clean window does not clear it. */
export const HEALTH_WINDOWS = 3;
/** Ingests prediction and outcome events and watches each registered model version for drift, decay and bias. */
export class MonitoringService {
  readonly module: ServiceModule;
  readonly pipeline: MonitoringPipeline;
  private readonly alerts;
  private readonly windows;
  private readonly known;
  private readonly policies;

  constructor(private readonly runtime: ServiceRuntime, options: MonitoringOptions) {
    this.known = baselines(runtime.schema);
    this.alerts = driftAlertsReadModel(runtime.schema);
    this.windows = windowSeriesReadModel(runtime.schema);
    const policies = monitoringPolicies(runtime);
    // The service's default window comes from its settings; a model's policy overrides it.
    const withDefault = (policy: MonitoringPolicy): MonitoringPolicy => (policy.version === 0 ? { ...policy, window: { unit: 'events', size: options.windowSize, slide: options.windowSize } } : policy);
    this.policies = {
      ...policies,
      current: async (...args: Parameters<typeof policies.current>): Promise<MonitoringPolicy> => withDefault(await policies.current(...args)),
      currentOf: async (...args: Parameters<typeof policies.currentOf>): Promise<Map<string, MonitoringPolicy>> => {
        const current = await policies.currentOf(...args);
        return new Map([...current].map(([modelName, policy]) => [modelName, withDefault(policy)]));
      },
    };
    this.pipeline = new MonitoringPipeline(runtime, this.known, this.policies, monitoringGauges(), {
      outcomeHorizonMs: options.outcomeHorizonMs ?? 7 * 24 * 3600 * 1000,
      maxAwaitingLabels: options.maxAwaitingLabels ?? 200_000,
      allowedLatenessMs: options.allowedLatenessMs,
      maxFutureSkewMs: options.maxFutureSkewMs,
      joinCheckpointMs: options.joinCheckpointMs,
      fetchThread: options.fetchThread,
      helperThreadsNice: options.helperThreadsNice,
    });
    this.module = {
      readModels: [this.alerts, this.windows],
      reactors: [this.known.reactor],
      onStarted: async () => {
        await this.pipeline.start();
      },
      onStopped: () => this.pipeline.stop(),
    };
  }

  /** The HTTP door for inference services without Kafka: same contract, same topic. */
  publishPredictions(predictions: readonly Prediction[]): Promise<{ accepted: number }> {
    return this.publish(Topics.predictions, 'Prediction', predictions, (p) => this.predictionWithDefaults(p), (p) => p.modelName);
  }

  publishOutcomes(outcomes: readonly Outcome[]): Promise<{ accepted: number }> {
    return this.publish(Topics.outcomes, 'Outcome', outcomes, (o) => ({ ...o, eventTime: o.eventTime ?? this.runtime.clock.now(), modelName: o.modelName ?? '' }), (o) => o.predictionId);
  }

  private async publish<T>(topic: string, record: string, items: readonly T[], complete: (item: T) => T, key: (item: T) => string) {
    const noun = record === 'Outcome' ? 'outcomes' : 'predictions';
    if (!Array.isArray(items) || items.length === 0) {
      throw new DomainError('MONITORING.EMPTY_BATCH', `send {"${noun}": [...]} with at least one item`, 400);
    }
    if (items.length > MAX_BATCH) throw new DomainError('MONITORING.BATCH_TOO_LARGE', `at most ${MAX_BATCH} ${noun} per call; split the batch`, 413);
    const { traceparent } = activeTraceContext();
    const headers = traceparent ? { traceparent } : undefined;
    const messages: BusMessage[] = items.map((item, i) => {
      const value = complete(item ?? ({} as T));
      try {
        return { key: String(key(value)), value: this.runtime.codec.encode(record, value), headers };
      } catch (error) {
        throw new DomainError(record === 'Outcome' ? 'MONITORING.INVALID_OUTCOME' : 'MONITORING.INVALID_PREDICTION', `${noun} ${i}: ${(error as Error).message}`, 400);
      }
    });
    await this.runtime.bus.publish(topic, messages);
    return { accepted: messages.length };
  }

  async monitoredVersion(modelName: string, version: number) {
    const monitored = await this.known.find(this.runtime.db, modelName, version);
    if (!monitored) throw new DomainError('MONITORING.VERSION_NOT_MONITORED', `${modelName}:${version} is not known to monitoring (yet)`, 404);
    return { modelName, version, digest: monitored.digest, baselineFeatures: monitored.baseline.map((c) => c.name), baselineMetrics: monitored.metrics };
  }

  listAlerts(modelName: string, version: number): Promise<DriftAlertRow[]> {
    return this.runtime.db.query<DriftAlertRow>(
      `SELECT * FROM ${this.alerts.table} WHERE model_name = $1 AND model_version = $2 ORDER BY window_index, kind, feature, metric`, [modelName, version],
    );
  }

  /** One metric's values per window, oldest first (`subject`: a feature, `performance`, `bias:<attribute>` or `window`). */
  async series(modelName: string, version: number, query: { subject?: string; metric?: string; limit?: number }): Promise<SeriesPoint[]> {
    const limit = query.limit ?? 500;
    if (!Number.isSafeInteger(limit) || limit < 1 || limit > 10_000) throw new DomainError('MONITORING.INVALID_QUERY', 'limit: 1 to 10000', 400);
    const points = await this.windows.series(this.runtime.db, { modelName, version, ...query, limit });
    return points.reverse();
  }

  /** Per version of a model: the latest window and the worst alert in it. */
  /** Each version's standing: the worst alert of its last HEALTH_WINDOWS windows, beside the latest window. */
  async health(modelName: string) {
    const rows = await this.runtime.db.query<{ model_version: number; window_index: string; window_end: string; prediction_count: string; labelled_count: string; drift_share: number; policy_version: number; breaches: string; warnings: string }>(
      `SELECT w.model_version, w.window_index, w.window_end, w.prediction_count, w.labelled_count, w.drift_share, w.policy_version,
              count(a.*) FILTER (WHERE a.severity = 'breach') AS breaches, count(a.*) FILTER (WHERE a.severity = 'warn') AS warnings
       FROM ${this.windows.windows} w
       JOIN (SELECT model_version, max(window_index) AS last FROM ${this.windows.windows} WHERE model_name = $1 GROUP BY model_version) l
         ON l.model_version = w.model_version AND l.last = w.window_index
       LEFT JOIN ${this.alerts.table} a ON a.model_name = w.model_name AND a.model_version = w.model_version
         AND a.window_index > w.window_index - ${HEALTH_WINDOWS} AND a.window_index <= w.window_index
       WHERE w.model_name = $1
       GROUP BY w.model_version, w.window_index, w.window_end, w.prediction_count, w.labelled_count, w.drift_share, w.policy_version
       ORDER BY w.model_version`,
      [modelName],
    );
    return {
      modelName,
      versions: rows.map((r) => ({
        version: r.model_version, status: Number(r.breaches) > 0 ? 'breach' : Number(r.warnings) > 0 ? 'warn' : 'ok',
        lastWindow: { index: Number(r.window_index), end: r.window_end, predictions: Number(r.prediction_count), labelled: Number(r.labelled_count), driftShare: r.drift_share, policyVersion: r.policy_version },
        alerts: { breach: Number(r.breaches), warn: Number(r.warnings) },
      })),
    };
  }

  policy(modelName: string): Promise<MonitoringPolicy> {
    return this.policies.current(this.runtime.db, modelName);
  }

  policyHistory(modelName: string) {
    return this.policies.history(modelName);
  }

  async setPolicy(modelName: string, change: PolicyChange, metadata: CommandMetadata): Promise<MonitoringPolicy> {
    const policy = await this.policies.change(modelName, change, metadata);
    this.pipeline.forget(modelName);
    return policy;
  }

  private predictionWithDefaults(p: Partial<Prediction>): Prediction {
    return {
      predictionId: p.predictionId as string, modelName: p.modelName as string, modelVersion: p.modelVersion as number,
      modelDigest: p.modelDigest ?? '', eventTime: p.eventTime ?? this.runtime.clock.now(),
      numericFeatures: p.numericFeatures ?? {}, categoricalFeatures: p.categoricalFeatures ?? {},
      predictedClass: p.predictedClass ?? null, score: p.score ?? null, protectedAttributes: p.protectedAttributes ?? {}, groundTruth: p.groundTruth ?? null,
    };
  }
}
