import { createHash } from 'node:crypto';
import type { OpenLineageDataset, OpenLineageRunEventReceivedData } from '@mgov/contracts';
import { type CommandMetadata, DomainError } from '@mgov/decider';
import type { ServiceRuntime } from '@mgov/service-runtime';
import { canonicalJson } from './canonical-json';
import { claimedDatasetVersion } from './dataset-matching';
import { openLineageLinks, openLineageRunDecider } from './openlineage-run';
import type { RunEventDataset } from './run-event';
import { validateRunEvent } from './run-event-validation';

export interface OpenLineageReceipt {
  readonly runId: string;
  readonly eventType: string | null;
  /** False when the same event had been recorded before (a retry). */
  readonly recorded: boolean;
  readonly inputs: readonly OpenLineageDataset[];
  readonly outputs: readonly OpenLineageDataset[];
}

/** OpenLineage intake: a validated RunEvent becomes one fact on its run's stream. */
export class OpenLineageIntake {
  constructor(private readonly runtime: ServiceRuntime) {}

  async receive(body: unknown, metadata: CommandMetadata): Promise<OpenLineageReceipt> {
    const validation = validateRunEvent(body);
    if (!validation.ok) {
      throw new DomainError('LINEAGE.INVALID_OPENLINEAGE_EVENT', `not an OpenLineage 2-0-x RunEvent: ${validation.problems.join('; ')}`, 400);
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
    return { runId: data.runId, eventType: data.eventType, recorded: recorded.length > 0, inputs: data.inputs, outputs: data.outputs };
  }

  /** Asked of the write model, not a read model: a version registered a moment ago is matched. */
  private async matched(dataset: RunEventDataset): Promise<OpenLineageDataset> {
    const claim = claimedDatasetVersion(dataset);
    const exists = claim !== null && (await this.runtime.store.streamVersion(`dataset-version:${claim}`)) > 0;
    return { namespace: dataset.namespace, name: dataset.name, datasetVersionId: exists ? claim : null };
  }
}
