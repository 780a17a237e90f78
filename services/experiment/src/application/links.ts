import { Subject } from '@mgov/contracts';
import type { ExperimentEvent } from '@mgov/contracts';

export function experimentLinks(event: ExperimentEvent): string[] {
  switch (event.type) {
    case 'RunStarted':
      return [Subject.run(event.data.runId), ...event.data.datasetVersionIds.map(Subject.datasetVersion)];
    case 'RunRefused':
      return [Subject.run(event.data.runId), Subject.datasetVersion(event.data.datasetVersionId)];
    case 'RunCompleted':
      return [Subject.run(event.data.runId)];
  }
}
