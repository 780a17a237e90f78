import type { Sql } from '@mgov/event-store';
import { Topics } from '@mgov/messaging';
import { reviewCaseDecider } from '@mgov/retraining-domain';
import type { Reactor, ServiceRuntime } from '@mgov/service-runtime';
import { retrainingLinks } from './links';
import type { trainingData as trainingDataFactory } from './training-data';

/**
 * Every drift alert opens (or joins) a review case at once; a breach also quarantines the
 * model version and requests retraining, in the same transaction as the alert's inbox mark,
 * so a crash can neither lose nor double them.
 */
export function driftAlerts(runtime: ServiceRuntime, trainingData: ReturnType<typeof trainingDataFactory>): Reactor {
  return {
    name: 'drift-alerts',
    topics: [Topics.events('monitoring')],
    async handle(tx: Sql, message) {
      if (message.kind !== 'event' || message.event.type !== 'DataDriftDetected') return;
      const alert = message.event.data;
      const detector = 'data-drift' as const;
      const caseStream = `review-case:${alert.modelName}:${alert.modelVersion}:${detector}`;
      await runtime.commands.execute({
        streamId: caseStream,
        decider: reviewCaseDecider,
        links: retrainingLinks,
        tx,
        command: {
          type: 'RaiseAlert',
          caseId: `${alert.modelName}:${alert.modelVersion}:${detector}`,
          alertId: alert.alertId,
          modelName: alert.modelName,
          modelVersion: alert.modelVersion,
          digest: alert.digest,
          detector,
          severity: alert.severity,
          retrainingId: `retraining:${alert.alertId}`,
          newestEligibleDatasetVersionId: await trainingData.newestEligibleFor(tx, alert.modelName, alert.modelVersion),
          quarantinedAt: runtime.clock.now(),
          metadata: {
            actor: { id: 'retraining', role: 'service' },
            now: runtime.clock.now(),
            correlationId: message.event.envelope.correlationId,
            causationId: message.event.envelope.eventId,
          },
        },
      });
    },
  };
}
