import { createHash } from 'node:crypto';
import type {
  OpenLineageDataset, OpenLineageDatasetEventReceivedData, OpenLineageJobEventReceivedData, OpenLineageRunEventReceivedData,
} from '@mgov/contracts';
import { type CommandMetadata, DomainError } from '@mgov/decider';
import type { ServiceRuntime } from '@mgov/service-runtime';
import { canonicalJson } from './canonical-json';
import { claimedDatasetVersion } from './dataset-matching';
import { openLineageLinks, openLineageRunDecider } from './openlineage-run';
import type { RunEventDataset } from './run-event';
import { openLineageEventKind, validateDatasetEvent, validateJobEvent, validateRunEvent } from './run-event-validation';
import { staticLineageDecider, staticLineageLinks } from './openlineage-static';

export interface OpenLineageReceipt {
  /** Which OpenLineage event it was: RunEvent, JobEvent (static lineage) or DatasetEvent (metadata). */
  readonly kind: 'run' | 'job' | 'dataset';
  /** Null for JobEvents and DatasetEvents, which have no run. */
  readonly runId: string | null;
  readonly eventType: string | null;
  /** False when the same event had been recorded before (a retry). */
  readonly recorded: boolean;
  readonly inputs: readonly OpenLineageDataset[];
  readonly outputs: readonly OpenLineageDataset[];
}

const invalid = (kind: string, problems: readonly string[]) =>
  new DomainError('LINEAGE.INVALID_OPENLINEAGE_EVENT', `not an OpenLineage 2-0-x ${kind}: ${problems.join('; ')}`, 400);

/**
 * OpenLineage intake: a validated RunEvent becomes one fact on its run's stream, a JobEvent one on its
 * job's, a DatasetEvent one on its dataset's; each distinct event once.
 */
export class OpenLineageIntake {
  constructor(private readonly runtime: ServiceRuntime) {}

  async receive(body: unknown, metadata: CommandMetadata): Promise<OpenLineageReceipt> {
    switch (openLineageEventKind(body)) {
      case 'job':
        return this.receiveJobEvent(body, metadata);
      case 'dataset':
        return this.receiveDatasetEvent(body, metadata);
      default:
        return this.receiveRunEvent(body, metadata);
    }
  }

  private async receiveRunEvent(body: unknown, metadata: CommandMetadata): Promise<OpenLineageReceipt> {
    const validation = validateRunEvent(body);
    if (!validation.ok) {
      throw invalid('RunEvent', validation.problems);
    }
    const { event } = validation;
    const canonical = canonicalJson(body);
    const data: OpenLineageRunEventReceivedData = {
      runId: event.runId, eventType: event.eventType, eventTime: event.eventTime, eventTimeMs: event.eventTimeMs,
      producer: event.producer, schemaURL: event.schemaURL, job: event.job, parentRun: event.parentRun,
      inputs: await Promise.all(event.inputs.map((d) => this.matched(d))),
      outputs: await Promise.all(event.outputs.map((d) => this.matched(d))),
      eventDigest: createHash('sha256').update(canonical).digest('hex'),
      event: canonical,
    };
    const recorded = await this.runtime.commands.execute({
      streamId: `openlineage-run:${event.runId}`,
      decider: openLineageRunDecider,
      links: openLineageLinks,
      command: { type: 'RecordOpenLineageRunEvent', data, metadata },
    });
    return { kind: 'run', runId: data.runId, eventType: data.eventType, recorded: recorded.length > 0, inputs: data.inputs, outputs: data.outputs };
  }

  private async receiveJobEvent(body: unknown, metadata: CommandMetadata): Promise<OpenLineageReceipt> {
    const validation = validateJobEvent(body);
    if (!validation.ok) throw invalid('JobEvent', validation.problems);
    const { event } = validation;
    const canonical = canonicalJson(body);
    const data: OpenLineageJobEventReceivedData = {
      eventTime: event.eventTime, eventTimeMs: event.eventTimeMs, producer: event.producer, schemaURL: event.schemaURL, job: event.job,
      inputs: await Promise.all(event.inputs.map((d) => this.matched(d))), outputs: await Promise.all(event.outputs.map((d) => this.matched(d))),
      eventDigest: createHash('sha256').update(canonical).digest('hex'), event: canonical,
    };
    const recorded = await this.runtime.commands.execute({
      streamId: `openlineage-job:${event.job.namespace}/${event.job.name}`, decider: staticLineageDecider, links: staticLineageLinks,
      command: { type: 'RecordOpenLineageJobEvent', data, metadata },
    });
    return { kind: 'job', runId: null, eventType: null, recorded: recorded.length > 0, inputs: data.inputs, outputs: data.outputs };
  }

  private async receiveDatasetEvent(body: unknown, metadata: CommandMetadata): Promise<OpenLineageReceipt> {
    const validation = validateDatasetEvent(body);
    if (!validation.ok) throw invalid('DatasetEvent', validation.problems);
    const { event } = validation;
    const canonical = canonicalJson(body);
    const dataset = await this.matched(event.dataset);
    const data: OpenLineageDatasetEventReceivedData = {
      eventTime: event.eventTime, eventTimeMs: event.eventTimeMs, producer: event.producer, schemaURL: event.schemaURL, dataset,
      facetNames: Object.keys(event.dataset.facets).sort(), eventDigest: createHash('sha256').update(canonical).digest('hex'), event: canonical,
    };
    const recorded = await this.runtime.commands.execute({
      streamId: `openlineage-dataset:${event.dataset.namespace}:${event.dataset.name}`, decider: staticLineageDecider, links: staticLineageLinks,
      command: { type: 'RecordOpenLineageDatasetEvent', data, metadata },
    });
    return { kind: 'dataset', runId: null, eventType: null, recorded: recorded.length > 0, inputs: [dataset], outputs: [] };
  }

  /** Asked of the write model, not a read model: a version registered a moment ago is matched. */
  private async matched(dataset: RunEventDataset): Promise<OpenLineageDataset> {
    const claim = claimedDatasetVersion(dataset);
    const exists = claim !== null && (await this.runtime.store.streamVersion(`dataset-version:${claim}`)) > 0;
    return { namespace: dataset.namespace, name: dataset.name, datasetVersionId: exists ? claim : null };
  }
}
