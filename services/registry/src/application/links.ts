import { type RegistryEvent, Subject } from '@mgov/contracts';



/** A candidate has no version number until it is approved: the approval links both. */
export function registryLinks(event: RegistryEvent, decided: readonly RegistryEvent[]): string[] {
  switch (event.type) {
    case 'ModelVersionSubmitted':
      return [
        Subject.model(event.data.modelName), Subject.candidate(event.data.candidateId), Subject.run(event.data.runId),
        ...event.data.datasetVersionIds.map(Subject.datasetVersion),
      ];
    case 'ModelVersionApproved': {
      const registered = decided.find((e) => e.type === 'ModelVersionRegistered');
      return [
        Subject.model(event.data.modelName), Subject.candidate(event.data.candidateId),
        ...(registered?.type === 'ModelVersionRegistered' ? [Subject.modelVersion(registered.data.modelName, registered.data.version)] : []),
      ];
    }
    case 'ModelVersionRegistered':
      return [
        Subject.model(event.data.modelName), Subject.modelVersion(event.data.modelName, event.data.version), Subject.candidate(event.data.candidateId),
        Subject.run(event.data.runId), ...event.data.datasetVersionIds.map(Subject.datasetVersion),
      ];
  }
}
