import { type OpenLineageRunEventReceived, type OpenLineageRunEventReceivedData, Subject } from '@mgov/contracts';
import { assertNever, type CommandMetadata, type Decider, DomainError } from '@mgov/decider';

export type OpenLineageRunCommand = {
  readonly type: 'RecordOpenLineageRunEvent';
  readonly data: OpenLineageRunEventReceivedData;
  readonly metadata: CommandMetadata;
};

export type OpenLineageRunState =
  | { readonly status: 'unknown' }
  | { readonly status: 'reported'; readonly job: { readonly namespace: string; readonly name: string }; readonly digests: ReadonlySet<string> };

function record(command: OpenLineageRunCommand, state: OpenLineageRunState): OpenLineageRunEventReceived[] {
  const { data } = command;
  if (state.status === 'reported') {
    // Integrations retry on timeouts: the same event again is the same fact, recorded once.
    if (state.digests.has(data.eventDigest)) return [];
    if (state.job.namespace !== data.job.namespace || state.job.name !== data.job.name) {
      throw new DomainError(
        'LINEAGE.OPENLINEAGE_RUN_JOB_MISMATCH',
        `run ${data.runId} belongs to job ${state.job.namespace}/${state.job.name}, not ${data.job.namespace}/${data.job.name}; a runId names one run of one job`,
        409,
      );
    }
  }
  return [{ type: 'OpenLineageRunEventReceived', data }];
}

/** One OpenLineage run, as reported by an integration: every state change it sent, each once. */
export const openLineageRunDecider: Decider<OpenLineageRunCommand, OpenLineageRunEventReceived, OpenLineageRunState> = {
  initialState: () => ({ status: 'unknown' }),
  decide: (command, state) => {
    switch (command.type) {
      case 'RecordOpenLineageRunEvent':
        return record(command, state);
      default:
        return assertNever(command.type);
    }
  },
  evolve: (state, event) => {
    switch (event.type) {
      case 'OpenLineageRunEventReceived': {
        const digests = new Set(state.status === 'reported' ? state.digests : []).add(event.data.eventDigest);
        return { status: 'reported', job: event.data.job, digests };
      }
      default:
        return assertNever(event.type);
    }
  },
};

/** What an OpenLineage fact is about: the run, its job, its datasets (MGov versions where matched). */
export function openLineageLinks(event: OpenLineageRunEventReceived): string[] {
  const { runId, job, parentRun, inputs, outputs } = event.data;
  const dataset = (d: OpenLineageRunEventReceivedData['inputs'][number]) =>
    d.datasetVersionId ? Subject.datasetVersion(d.datasetVersionId) : Subject.externalDataset(d.namespace, d.name);
  return [
    Subject.run(runId), Subject.externalJob(job.namespace, job.name),
    ...(parentRun ? [Subject.run(parentRun.runId)] : []), ...inputs.map(dataset), ...outputs.map(dataset),
  ];
}
