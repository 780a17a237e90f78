import type { Readable } from 'node:stream';
import type { CommandMetadata } from '@mgov/decider';
import { assertMayReadContent, datasetVersionDecider } from '@mgov/lineage-domain';
import type { ServiceRuntime } from '@mgov/service-runtime';
import { reportingTampering } from '../application/tampering';
import { currentState, streams } from '../application/write-model';
import type { ObjectStore } from '@mgov/object-store';

const MEDIA_TYPES: Readonly<Record<string, string>> = { csv: 'text/csv; charset=utf-8', jsonl: 'application/x-ndjson', parquet: 'application/vnd.apache.parquet' };

export interface DatasetContent {
  readonly datasetVersionId: string;
  readonly mediaType: string;
  readonly fileName: string;
  readonly bytes: number;
  readonly stream: Readable;
}

/** Downloads of a version's bytes: only privacy-cleared versions for anyone but data stewards, always verified. */
export class DatasetContents {
  constructor(private readonly runtime: ServiceRuntime, private readonly objects: ObjectStore) {}

  async open(datasetVersionId: string, metadata: CommandMetadata): Promise<DatasetContent> {
    const state = await currentState(this.runtime, streams.datasetVersion(datasetVersionId), datasetVersionDecider);
    assertMayReadContent(metadata.actor.role, datasetVersionId, state);
    const format = state.status === 'unknown' ? 'jsonl' : state.format;
    // Verified before the first byte is sent, so a tampered object is refused rather than half delivered;
    // the stream verifies again as it goes, in case the file changes in between.
    await reportingTampering(this.runtime, datasetVersionId, 'download', metadata, () => this.objects.verifiedPath(datasetVersionId));
    const { bytes, stream } = await this.objects.read(datasetVersionId);
    return { datasetVersionId, mediaType: MEDIA_TYPES[format] ?? 'application/octet-stream', fileName: `${datasetVersionId}.${format}`, bytes, stream };
  }
}
