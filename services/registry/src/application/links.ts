import { type RegistryEvent, Subject } from '@mgov/contracts';
import { modelNamePattern } from '@mgov/registry-domain';

const model = (name: string) => (modelNamePattern.test(name) ? [Subject.model(name)] : []);

/** A candidate has no version number until it is approved: the approval links both. */
export function registryLinks(event: RegistryEvent, decided: readonly RegistryEvent[]): string[] {
  switch (event.type) {
    case 'ModelVersionSubmitted':
      return [
        Subject.model(event.data.modelName), Subject.candidate(event.data.candidateId), Subject.run(event.data.runId),
        ...event.data.datasetVersionIds.map(Subject.datasetVersion),
      ];
    case 'CandidateReviewStarted':
    case 'ReviewGateJudged':
    case 'ModelVersionRejected':
      return [Subject.model(event.data.modelName), Subject.candidate(event.data.candidateId)];
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
    case 'ModelAliasSet':
      return [Subject.model(event.data.modelName), Subject.modelVersion(event.data.modelName, event.data.version)];
    case 'RegisteredModelCreated':
    case 'ModelAliasDeleted':
      return [Subject.model(event.data.modelName)];
    case 'ModelVersionArchived':
      return [Subject.model(event.data.modelName), Subject.modelVersion(event.data.modelName, event.data.version)];
    case 'ReviewPolicyPublished':
      return event.data.scope.startsWith('model:') ? [event.data.scope] : [];
    case 'RegistryRequestRefused':
      return [
        ...model(event.data.modelName), ...(event.data.candidateId ? [Subject.candidate(event.data.candidateId)] : []),
        ...(event.data.version !== null && modelNamePattern.test(event.data.modelName) ? [Subject.modelVersion(event.data.modelName, event.data.version)] : []),
      ];
    case 'DeploymentRequested':
    case 'DeploymentRolledOut':
    case 'DeploymentFailed':
    case 'DeploymentRolledBack':
      return [Subject.model(event.data.modelName), Subject.modelVersion(event.data.modelName, event.data.version), Subject.deployment(event.data.deploymentId)];
    default:
      return [];
  }
}
