import { type RetrainingEvent, Subject } from '@mgov/contracts';
import { parseCaseId } from '@mgov/retraining-domain';

const version = (name: string, v: number) => [Subject.modelVersion(name, v), Subject.model(name)];

/** What each retraining fact is about, beyond its own stream (audit indexes the ledger by these). */
export function retrainingLinks(event: RetrainingEvent): string[] {
  // Decisions and deliveries carry only the case id, which names the model version.
  const caseModel = (caseId: string) => {
    const parsed = parseCaseId(caseId);
    return parsed ? version(parsed.modelName, parsed.modelVersion) : [];
  };
  switch (event.type) {
    case 'ReviewCaseOpened':
      return [...version(event.data.modelName, event.data.modelVersion), Subject.reviewCase(event.data.caseId)];
    case 'ReviewCaseAlertAdded':
      return [
        ...version(event.data.modelName, event.data.modelVersion), Subject.reviewCase(event.data.caseId),
        ...event.data.datasetVersionIds.map(Subject.datasetVersion), ...event.data.deploymentIds.map(Subject.deployment),
      ];
    case 'ReviewCaseEscalated':
      return [...version(event.data.modelName, event.data.modelVersion), Subject.reviewCase(event.data.caseId)];
    case 'ReviewCaseAcknowledged':
    case 'ReviewCaseDismissed':
    case 'ReviewCaseConfirmed':
    case 'ReviewCaseNotificationDelivered':
    case 'ReviewCaseNotificationFailed':
      return [Subject.reviewCase(event.data.caseId), ...caseModel(event.data.caseId)];
    case 'ModelQuarantined':
      return version(event.data.modelName, event.data.modelVersion);
    case 'ModelQuarantineReleased':
      return [...version(event.data.modelName, event.data.modelVersion), Subject.reviewCase(event.data.caseId)];
    case 'RetrainingSucceeded':
      return [
        ...version(event.data.modelName, event.data.previousVersion), Subject.reviewCase(event.data.caseId),
        Subject.retraining(event.data.retrainingId), Subject.run(event.data.runId), Subject.datasetVersion(event.data.datasetVersionId),
      ];
    case 'RetrainingRequested':
      return [
        ...version(event.data.modelName, event.data.modelVersion), Subject.reviewCase(event.data.caseId), Subject.retraining(event.data.retrainingId),
        ...(event.data.datasetVersionId ? [Subject.datasetVersion(event.data.datasetVersionId)] : []),
      ];
    case 'RetrainingDataSelected':
    case 'RetrainingStarted':
      return [Subject.reviewCase(event.data.caseId), Subject.retraining(event.data.retrainingId), Subject.datasetVersion(event.data.datasetVersionId)];
    case 'RetrainingApproved':
    case 'RetrainingCancelled':
    case 'RetrainingAttemptFailed':
    case 'RetrainingFailed':
      return [Subject.reviewCase(event.data.caseId), Subject.retraining(event.data.retrainingId)];
  }
}
