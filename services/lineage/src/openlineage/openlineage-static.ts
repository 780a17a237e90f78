import {
  type OpenLineageDatasetEventReceived, type OpenLineageDatasetEventReceivedData, type OpenLineageJobEventReceived, type OpenLineageJobEventReceivedData,
  Subject,
} from '@mgov/contracts';
import type { CommandMetadata, Decider } from '@mgov/decider';

type StaticEvent = OpenLineageJobEventReceived | OpenLineageDatasetEventReceived;

export type RecordStaticLineage =
  | { readonly type: 'RecordOpenLineageJobEvent'; readonly data: OpenLineageJobEventReceivedData; readonly metadata: CommandMetadata }
  | { readonly type: 'RecordOpenLineageDatasetEvent'; readonly data: OpenLineageDatasetEventReceivedData; readonly metadata: CommandMetadata };

/**
 * Static lineage (JobEvents and DatasetEvents), one stream per job or dataset: each distinct event is
 * a fact once, so an integration that retries, or re-sends its whole catalog on every deploy, adds nothing.
 */
export const staticLineageDecider: Decider<RecordStaticLineage, StaticEvent, ReadonlySet<string>> = {
  initialState: () => new Set<string>(),
  decide: (command, seen) => {
    if (seen.has(command.data.eventDigest)) return [];
    return command.type === 'RecordOpenLineageJobEvent'
      ? [{ type: 'OpenLineageJobEventReceived', data: command.data }]
      : [{ type: 'OpenLineageDatasetEventReceived', data: command.data }];
  },
  evolve: (seen, event) => new Set(seen).add(event.data.eventDigest),
};

const datasetSubject = (d: { namespace: string; name: string; datasetVersionId: string | null }) =>
  d.datasetVersionId ? Subject.datasetVersion(d.datasetVersionId) : Subject.externalDataset(d.namespace, d.name);

export function staticLineageLinks(event: StaticEvent): string[] {
  if (event.type === 'OpenLineageDatasetEventReceived') return [datasetSubject(event.data.dataset)];
  const { job, inputs, outputs } = event.data;
  return [Subject.externalJob(job.namespace, job.name), ...inputs.map(datasetSubject), ...outputs.map(datasetSubject)];
}
