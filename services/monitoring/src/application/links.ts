import { type MonitoringEvent, Subject } from '@mgov/contracts';

export function monitoringLinks(event: MonitoringEvent): string[] {
  // A policy is the model's, every version's.
  if (event.type === 'MonitoringPolicyChanged') return [Subject.model(event.data.modelName)];
  return [Subject.modelVersion(event.data.modelName, event.data.modelVersion), Subject.model(event.data.modelName)];
}
