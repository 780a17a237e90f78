import { Subject } from '@mgov/contracts';
import type { DatasetVersionEvent, SourceEvent } from '@mgov/lineage-domain';

/** What each lineage fact is about, for audit and lineage queries. */
export function lineageLinks(event: SourceEvent | DatasetVersionEvent): string[] {
  switch (event.type) {
    case 'SourceRegistered':
      return [Subject.source(event.data.sourceId)];
    case 'DatasetVersionRegistered':
      return [
        Subject.datasetVersion(event.data.datasetVersionId),
        ...event.data.sourceIds.map(Subject.source),
        ...event.data.parentVersionIds.map(Subject.datasetVersion),
      ];
    case 'DatasetVersionClearedForTraining':
      return [Subject.datasetVersion(event.data.datasetVersionId)];
  }
}
