import { Subject } from '@mgov/contracts';
import type { DomainEvent } from '@mgov/contracts';
import type { RunEvent } from '@mgov/experiment-domain';

/** What each experiment event is about, beyond its own stream. */
export function experimentLinks(event: RunEvent | DomainEvent): string[] {
  const e = event as RunEvent;
  switch (e.type) {
    case 'RunStarted':
      return [Subject.run(e.data.runId), ...e.data.datasetVersionIds.map(Subject.datasetVersion)];
    case 'RunRefused':
      return [Subject.run(e.data.runId), Subject.datasetVersion(e.data.datasetVersionId)];
    case 'RunInputsLogged':
      return [Subject.run(e.data.runId), ...e.data.inputs.flatMap((i) => (i.datasetVersionId ? [Subject.datasetVersion(i.datasetVersionId)] : []))];
    case 'RunCompleted':
      return [Subject.run(e.data.runId), ...e.data.datasetVersionIds.map(Subject.datasetVersion)];
    default:
      return 'runId' in (e.data as object) ? [Subject.run((e.data as { runId: string }).runId)] : [];
  }
}
