import { type RetrainingEvent, Subject } from '@mgov/contracts';

export function retrainingLinks(event: RetrainingEvent): string[] {
  const modelVersion = Subject.modelVersion(event.data.modelName, event.data.modelVersion);
  switch (event.type) {
    case 'ReviewCaseOpened':
      return [modelVersion, Subject.reviewCase(event.data.caseId)];
    case 'ModelQuarantined':
      return [modelVersion, Subject.model(event.data.modelName)];
    case 'RetrainingRequested':
      return [
        modelVersion, Subject.reviewCase(event.data.caseId), Subject.retraining(event.data.retrainingId),
        ...(event.data.datasetVersionId ? [Subject.datasetVersion(event.data.datasetVersionId)] : []),
      ];
  }
}
