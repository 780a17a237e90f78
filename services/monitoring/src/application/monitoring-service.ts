import type { Prediction } from '@mgov/contracts';
import { DomainError } from '@mgov/decider';
import { Topics } from '@mgov/messaging';
import type { ServiceModule, ServiceRuntime } from '@mgov/service-runtime';
import { activeTraceContext } from '@mgov/telemetry';
import { baselines } from './baselines';
import { driftAlertsReadModel, type DriftAlertRow } from './drift-alerts-read-model';
import { predictionWindows } from './prediction-windows';

const MAX_BATCH = 10_000;

/** Ingests prediction events and watches each deployed model version for data drift. */
export class MonitoringService {
  readonly module: ServiceModule;
  private readonly alerts;
  private readonly known;

  constructor(private readonly runtime: ServiceRuntime, windowSize: number) {
    this.known = baselines(runtime.schema);
    this.alerts = driftAlertsReadModel(runtime.schema);
    this.module = { readModels: [this.alerts], reactors: [this.known.reactor, predictionWindows(runtime, this.known, windowSize)] };
  }

  /** The HTTP door for inference services without Kafka: same contract, same topic. */
  async publishPredictions(predictions: readonly Prediction[]): Promise<{ accepted: number }> {
    if (!Array.isArray(predictions) || predictions.length === 0) {
      throw new DomainError('MONITORING.EMPTY_BATCH', 'send {"predictions": [...]} with at least one prediction', 400);
    }
    if (predictions.length > MAX_BATCH) {
      throw new DomainError('MONITORING.BATCH_TOO_LARGE', `at most ${MAX_BATCH} predictions per call; split the batch`, 413);
    }
    const { traceparent } = activeTraceContext();
    const headers = traceparent ? { traceparent } : undefined;
    const messages = predictions.map((p, i) => {
      const value = this.withDefaults(p);
      try {
        return { key: value.modelName, value: this.runtime.codec.encode('Prediction', value), headers };
      } catch (error) {
        throw new DomainError('MONITORING.INVALID_PREDICTION', `prediction ${i}: ${(error as Error).message}`, 400);
      }
    });
    await this.runtime.bus.publish(Topics.predictions, messages);
    return { accepted: messages.length };
  }

  async monitoredVersion(modelName: string, version: number) {
    const monitored = await this.known.find(this.runtime.db, modelName, version);
    if (!monitored) throw new DomainError('MONITORING.VERSION_NOT_MONITORED', `${modelName}:${version} is not known to monitoring (yet)`, 404);
    return { modelName, version, digest: monitored.digest, baselineFeatures: monitored.baseline.map((c) => c.name) };
  }

  listAlerts(modelName: string, version: number): Promise<DriftAlertRow[]> {
    return this.runtime.db.query<DriftAlertRow>(
      `SELECT * FROM ${this.alerts.table} WHERE model_name = $1 AND model_version = $2 ORDER BY window_index, feature`, [modelName, version],
    );
  }

  private withDefaults(p: Partial<Prediction>): Prediction {
    return {
      predictionId: p.predictionId as string, modelName: p.modelName as string, modelVersion: p.modelVersion as number,
      modelDigest: p.modelDigest ?? '', eventTime: p.eventTime ?? this.runtime.clock.now(),
      numericFeatures: p.numericFeatures ?? {}, categoricalFeatures: p.categoricalFeatures ?? {},
      predictedClass: p.predictedClass ?? null, score: p.score ?? null, protectedAttributes: p.protectedAttributes ?? {}, groundTruth: p.groundTruth ?? null,
    };
  }
}
