import type { BiasDriftDetected, DataDriftDetected, EnvelopedEvent, PerformanceDecayDetected } from '@mgov/contracts';
import type { Sql } from '@mgov/event-store';
import { Topics } from '@mgov/messaging';
import {
  type AlertEvidence, type Detector, quarantineDecider, quarantineStreamId, retrainingDecider, retrainingIdFor, retrainingStreamId,
  reviewCaseDecider, reviewCaseStreamId,
} from '@mgov/retraining-domain';
import type { Reactor, ServiceRuntime } from '@mgov/service-runtime';
import { retrainingLinks } from './links';
import type { TrainingData } from './training-data';

type Alert = DataDriftDetected | PerformanceDecayDetected | BiasDriftDetected;
const SERVICE_ACTOR = { id: 'retraining', role: 'service' } as const;

function isAlert(event: EnvelopedEvent): event is EnvelopedEvent & Alert {
  return event.type === 'DataDriftDetected' || event.type === 'PerformanceDecayDetected' || event.type === 'BiasDriftDetected';
}

/** The alert's detector, one-line summary and evidence, whichever monitor raised it. */
function describe(alert: Alert): { detector: Detector; summary: string; evidence: Record<string, unknown> } {
  const num = (n: number) => Number(n.toPrecision(4));
  switch (alert.type) {
    case 'DataDriftDetected': {
      const { feature, metric, value, threshold } = alert.data;
      return { detector: 'data-drift', summary: `${feature}: ${metric} ${num(value)} past ${num(threshold)}`, evidence: { feature, metric, value, threshold } };
    }
    case 'PerformanceDecayDetected': {
      const { metric, value, baseline, relativeDrop, threshold, labelledCount } = alert.data;
      return {
        detector: 'performance-decay', summary: `${metric} ${num(value)} vs baseline ${num(baseline)} (drop ${num(relativeDrop)} past ${num(threshold)})`,
        evidence: { metric, value, baseline, relativeDrop, threshold, labelledCount },
      };
    }
    case 'BiasDriftDetected': {
      const { attribute, metric, value, baseline, threshold, selectionRates } = alert.data;
      return { detector: 'bias-drift', summary: `${metric} over ${attribute}: ${num(value)} past ${num(threshold)}`, evidence: { attribute, metric, value, baseline, threshold, selectionRates } };
    }
  }
}

/**
 * Every alert opens (or joins) a review case at once; a breach also quarantines the model version
 * and requests its retraining — all in the alert's inbox transaction, so a crash at any point
 * either commits all of it once or none of it (and the alert is redelivered).
 */
export function alertIntake(runtime: ServiceRuntime, trainingData: TrainingData): Reactor {
  return {
    name: 'alert-intake',
    topics: [Topics.events('monitoring')],
    async handle(tx: Sql, message) {
      if (message.kind !== 'event' || !isAlert(message.event)) return;
      await takeAlert(runtime, trainingData, tx, message.event);
    },
  };
}

export async function takeAlert(runtime: ServiceRuntime, trainingData: TrainingData, tx: Sql, event: EnvelopedEvent & Alert): Promise<void> {
  const { alertId, modelName, modelVersion, digest, severity, windowIndex, windowStart, windowEnd } = event.data;
  const { detector, summary, evidence } = describe(event);
  const model = await trainingData.modelVersion(tx, modelName, modelVersion);
  const metadata = { actor: SERVICE_ACTOR, now: runtime.clock.now(), correlationId: event.envelope.correlationId, causationId: event.envelope.eventId };
  const alert: AlertEvidence & { detector: Detector } = {
    alertId, alertType: event.type, detector, severity, modelName, modelVersion, digest, summary, evidence: JSON.stringify(evidence),
    windowIndex, windowStart, windowEnd, datasetVersionIds: model?.datasetVersionIds ?? [],
    deploymentIds: await trainingData.servingDeployments(tx, modelName, modelVersion),
  };
  const caseEvents = await runtime.commands.execute({
    streamId: reviewCaseStreamId(modelName, modelVersion, detector), decider: reviewCaseDecider, links: retrainingLinks, tx,
    command: { type: 'RaiseAlert', alert, metadata },
  });
  const joined = caseEvents.find((e) => e.type === 'ReviewCaseAlertAdded');
  if (!joined || joined.type !== 'ReviewCaseAlertAdded' || severity !== 'breach') return;

  const quarantined = await runtime.commands.execute({
    streamId: quarantineStreamId(modelName, modelVersion), decider: quarantineDecider, links: retrainingLinks, tx,
    command: { type: 'Quarantine', modelName, modelVersion, digest, reason: `${detector} breach: ${summary} (alert ${alertId})`, alertIds: [alertId], metadata },
  });
  const [fact] = quarantined;
  if (!fact) return;
  // The stream alternates quarantine and release, so the n-th quarantine is at version 2n - 1.
  const retrainingId = retrainingIdFor(modelName, modelVersion, (fact.envelope.streamVersion + 1) / 2);
  await runtime.commands.execute({
    streamId: retrainingStreamId(retrainingId), decider: retrainingDecider, links: retrainingLinks, tx,
    command: {
      type: 'Request', retrainingId, caseId: joined.data.caseId, modelName, modelVersion,
      datasetVersionId: await trainingData.newestEligibleFor(tx, modelName, modelVersion), metadata,
    },
  });
}
