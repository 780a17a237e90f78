import type { Prediction } from '@mgov/contracts';
import type { Sql } from '@mgov/event-store';
import { Topics } from '@mgov/messaging';
import { addPrediction, DEFAULT_DRIFT_THRESHOLDS, type DriftWindow, emptyWindow, monitorDecider } from '@mgov/monitoring-domain';
import type { Reactor, ServiceRuntime } from '@mgov/service-runtime';
import { logger } from '@mgov/telemetry';
import type { baselines as baselinesFactory } from './baselines';
import { monitoringLinks } from './links';

const log = logger('monitoring');

/**
 * Folds each prediction into the open window of its model version (bounded: counts on the
 * baseline's bins) and, when the window is full, evaluates it in the same transaction.
 */
export function predictionWindows(runtime: ServiceRuntime, baselines: ReturnType<typeof baselinesFactory>, windowSize: number): Reactor {
  const table = `${runtime.schema}.open_windows_v1`;
  const evaluate = async (tx: Sql, prediction: Prediction, windowIndex: number, window: DriftWindow, digest: string, baseline: Parameters<typeof emptyWindow>[0]) => {
    const now = runtime.clock.now();
    await runtime.commands.execute({
      streamId: `monitor:${prediction.modelName}:${prediction.modelVersion}`,
      decider: monitorDecider,
      links: monitoringLinks,
      tx,
      command: {
        type: 'EvaluateWindow', modelName: prediction.modelName, modelVersion: prediction.modelVersion, digest, windowIndex, window, baseline,
        thresholds: DEFAULT_DRIFT_THRESHOLDS, alertIdPrefix: `alert:${prediction.modelName}:${prediction.modelVersion}:${windowIndex}`,
        metadata: { actor: { id: 'monitoring', role: 'service' }, now, correlationId: `monitor:${prediction.modelName}:${prediction.modelVersion}`, causationId: prediction.predictionId },
      },
    });
  };
  return {
    name: 'prediction-windows',
    topics: [Topics.predictions],
    async setup(tx) {
      await tx.query(`CREATE TABLE IF NOT EXISTS ${table} (
        model_name text NOT NULL, version int NOT NULL, window_index bigint NOT NULL, counts jsonb NOT NULL,
        PRIMARY KEY (model_name, version))`);
    },
    async handle(tx, message) {
      if (message.kind !== 'prediction') return;
      const { prediction } = message;
      const monitored = await baselines.find(tx, prediction.modelName, prediction.modelVersion);
      if (!monitored) {
        log.warn({ model: prediction.modelName, version: prediction.modelVersion }, 'prediction for a model version that is not in the registry; ignored');
        return;
      }
      const [open] = await tx.query<{ window_index: string; counts: DriftWindow }>(
        `SELECT window_index, counts FROM ${table} WHERE model_name = $1 AND version = $2`, [prediction.modelName, prediction.modelVersion],
      );
      const windowIndex = open ? Number(open.window_index) : 0;
      const window = addPrediction(open ? open.counts : emptyWindow(monitored.baseline), prediction);
      if (window.predictionCount >= windowSize) {
        await evaluate(tx, prediction, windowIndex, window, monitored.digest, monitored.baseline);
        await tx.query(
          `INSERT INTO ${table} VALUES ($1, $2, $3, $4) ON CONFLICT (model_name, version) DO UPDATE SET window_index = EXCLUDED.window_index, counts = EXCLUDED.counts`,
          [prediction.modelName, prediction.modelVersion, windowIndex + 1, JSON.stringify(emptyWindow(monitored.baseline))],
        );
        return;
      }
      await tx.query(
        `INSERT INTO ${table} VALUES ($1, $2, $3, $4) ON CONFLICT (model_name, version) DO UPDATE SET counts = EXCLUDED.counts`,
        [prediction.modelName, prediction.modelVersion, windowIndex, JSON.stringify(window)],
      );
    },
  };
}
