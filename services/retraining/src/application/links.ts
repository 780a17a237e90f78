import { type RetrainingEvent, Subject } from '@mgov/contracts';

export function retrainingLinks(event: RetrainingEvent): string[] {
  switch (event.type) {
    case 'ReviewCaseOpened':
      return [Subject.modelVersion(event.data.modelName, event.data.modelVersion), Subject.reviewCase(event.data.caseId)];
    case 'ModelQuarantined':
    case 'ModelQuarantineReleased':
      return [Subject.modelVersion(event.data.modelName, event.data.modelVersion), Subject.model(event.data.modelName)];
    case 'RetrainingSucceeded':
      return [
        Subject.modelVersion(event.data.modelName, event.data.previousVersion), Subject.reviewCase(event.data.caseId),
        Subject.retraining(event.data.retrainingId), Subject.run(event.data.runId), Subject.datasetVersion(event.data.datasetVersionId),
      ];
    case 'RetrainingRequested':
      return [
        Subject.modelVersion(event.data.modelName, event.data.modelVersion), Subject.reviewCase(event.data.caseId), Subject.retraining(event.data.retrainingId),
        ...(event.data.datasetVersionId ? [Subject.datasetVersion(event.data.datasetVersionId)] : []),
      ];
  }
}
