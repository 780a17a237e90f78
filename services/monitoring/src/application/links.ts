import { type MonitoringEvent, Subject } from '@mgov/contracts';

export function monitoringLinks(event: MonitoringEvent): string[] {
  return [Subject.modelVersion(event.data.modelName, event.data.modelVersion), Subject.model(event.data.modelName)];
}
