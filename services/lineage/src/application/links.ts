import { type DomainEvent, Subject } from '@mgov/contracts';

/** The sources a batch's registration names: gate verdicts decided with it are about them too. */
function sourcesOf(decided: readonly DomainEvent[]): string[] {
  const registration = decided.find((e) => e.type === 'DatasetVersionRegistered');
  return registration?.type === 'DatasetVersionRegistered' ? registration.data.sourceIds.map(Subject.source) : [];
}

/** What each lineage fact is about, for audit and lineage queries (the stream id is always added). */
export function lineageLinks(event: DomainEvent, decided: readonly DomainEvent[] = []): string[] {
  switch (event.type) {
    case 'SourceRegistered':
      return [Subject.source(event.data.sourceId)];
    case 'DatasetVersionRegistered':
      return [
        Subject.datasetVersion(event.data.datasetVersionId),
        ...event.data.sourceIds.map(Subject.source),
        ...event.data.parentVersionIds.map(Subject.datasetVersion),
      ];
    case 'PrivacyCleared':
    case 'PrivacyRejected':
      return [Subject.datasetVersion(event.data.datasetVersionId), Subject.datasetVersion(event.data.rawVersionId), ...sourcesOf(decided)];
    case 'DatasetVersionStored':
    case 'BiasScanPassed':
    case 'BiasScanFlagged':
    case 'BiasScanWaived':
    case 'DatasetVersionClearedForTraining':
    case 'DatasetVersionTamperingDetected':
      return [Subject.datasetVersion(event.data.datasetVersionId)];
    case 'DatasetVersionTrainingEligibilityRevoked':
      return [Subject.datasetVersion(event.data.datasetVersionId), ...event.data.sourceIds.map(Subject.source)];
    default:
      return [];
  }
}
