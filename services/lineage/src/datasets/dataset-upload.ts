import { Readable } from 'node:stream';
import type { StoredColumn } from '@mgov/contracts';
import { type CommandMetadata, DomainError } from '@mgov/decider';
import { type ContentSource, csvProfileTap, datasetFileError, type DatasetFormat, type DatasetProfile, profileDatasetFile } from '@mgov/dataset-files';
import { datasetVersionDecider, sourceLicenseRevokedError } from '@mgov/lineage-domain';
import type { ServiceRuntime } from '@mgov/service-runtime';
import { lineageLinks } from '../application/links';
import { currentState, revokedSources, streams } from '../application/write-model';
import { objectKey, type ObjectStore } from '@mgov/object-store';
import { assertColumnsExist, checkedDatasetName, type DatasetPolicies } from './dataset-policies';

export const DATASET_FORMATS: readonly DatasetFormat[] = ['csv', 'jsonl', 'parquet'];
/** MGOV_DATASET_MAX_BYTES' default: 2 GiB. */
export const DEFAULT_DATASET_MAX_BYTES = 2 * 1024 ** 3;
const UPLOAD = 'the upload';

export interface UploadInput {
  readonly datasetName: string;
  readonly format: string;
  readonly sourceIds: readonly string[];
  readonly parentVersionIds?: readonly string[];
  readonly transformation?: string | null;
  /** Policies for the dataset sent with this upload (set only if the upload is accepted). */
  readonly privacyPolicy?: unknown;
  readonly biasPolicy?: unknown;
  readonly content: ContentSource;
  /** Content-Length, when the client sent one: refused at once if over the limit. */
  readonly declaredBytes?: number | null;
}

export interface UploadResult {
  readonly datasetVersionId: string;
  readonly created: boolean;
  readonly datasetName: string;
  readonly format: string;
  readonly bytes: number;
  readonly rowCount: number | null;
}

export function storedColumns(profile: DatasetProfile): StoredColumn[] {
  return profile.summaries.map(({ name, type, missing, distinct, min, max, mean, quantiles }) => ({ name, type, missing, distinct, min, max, mean, quantiles: { ...quantiles } }));
}

/**
 * Uploads of dataset versions: the bytes are streamed once through sha256 (the version id), the byte
 * limit and, for CSV, the parser and profiler, into staging; only when everything is valid are they
 * published in the object store and the version registered. A refusal leaves no object and no event.
 */
export class DatasetUploads {
  constructor(
    private readonly runtime: ServiceRuntime,
    private readonly objects: ObjectStore,
    private readonly policies: DatasetPolicies,
    private readonly maxBytes: number,
  ) {}

  async upload(input: UploadInput, metadata: CommandMetadata): Promise<UploadResult> {
    const datasetName = checkedDatasetName(input.datasetName);
    const format = input.format as DatasetFormat;
    if (!DATASET_FORMATS.includes(format)) throw datasetFileError('DATASET.UNKNOWN_FORMAT', `format must be one of ${DATASET_FORMATS.join(', ')} (?format=csv)`);
    const sourceIds = [...new Set(input.sourceIds)];
    const parentVersionIds = [...new Set(input.parentVersionIds ?? [])];
    if (sourceIds.length === 0) throw new DomainError('LINEAGE.SOURCE_REQUIRED', 'a dataset version must name at least one registered source (?source=<id>)', 400);
    const unknownSourceIds = await this.missingStreams(sourceIds.map(streams.source), sourceIds);
    const unknownParentVersionIds = await this.missingStreams(parentVersionIds.map(streams.datasetVersion), parentVersionIds);
    // Refused before a byte is read (the decider would refuse too, but only after the whole upload).
    if (unknownSourceIds.length > 0) throw new DomainError('LINEAGE.UNKNOWN_SOURCE', `unknown source(s): ${unknownSourceIds.join(', ')}; register them first`, 422);
    const revokedSourceIds = await revokedSources(this.runtime, sourceIds);
    if (revokedSourceIds.length > 0) throw sourceLicenseRevokedError(revokedSourceIds);
    if (unknownParentVersionIds.length > 0) throw new DomainError('LINEAGE.UNKNOWN_PARENT', `unknown parent version(s): ${unknownParentVersionIds.join(', ')}; name registered dataset versions`, 422);
    const supplied = this.policies.parse({ privacy: input.privacyPolicy, bias: input.biasPolicy });
    if (input.declaredBytes != null && input.declaredBytes > this.maxBytes) {
      throw datasetFileError('DATASET.TOO_LARGE', `the upload is ${input.declaredBytes} bytes, over the ${this.maxBytes}-byte limit (MGOV_DATASET_MAX_BYTES); split the dataset`);
    }

    const tap = format === 'csv' ? csvProfileTap({ label: UPLOAD }) : null;
    const staged = await this.objects.stage(input.content, { maxBytes: this.maxBytes, through: tap?.transforms });
    const streamId = streams.datasetVersion(staged.sha256);
    let profile: DatasetProfile;
    try {
      const existing = await currentState(this.runtime, streamId, datasetVersionDecider);
      if (existing.status !== 'unknown') {
        await staged.discard();
        assertColumnsExist(supplied, existing.columns, 'the uploaded version');
        await this.setPolicies(existing.datasetName, supplied, metadata);
        return { datasetVersionId: staged.sha256, created: false, datasetName: existing.datasetName, format: existing.format, bytes: staged.bytes, rowCount: null };
      }
      profile = tap ? await tap.result(staged.localPath) : await profileDatasetFile(staged.localPath, format, { label: UPLOAD });
      const current = await this.policies.current(datasetName);
      assertColumnsExist({ privacy: supplied.privacy ?? current.privacy?.policy, bias: supplied.bias ?? current.bias?.policy }, profile.columns, 'the upload');
    } catch (error) {
      await staged.discard();
      throw error;
    }
    const { created } = await staged.commit();
    try {
      await this.setPolicies(datasetName, supplied, metadata);
      const events = await this.runtime.commands.execute({
        streamId, decider: datasetVersionDecider, links: lineageLinks,
        command: {
          type: 'RegisterDatasetVersion', datasetVersionId: staged.sha256, datasetName, sourceIds, unknownSourceIds, revokedSourceIds, parentVersionIds, unknownParentVersionIds,
          transformation: input.transformation ?? null, rowCount: profile.rowCount, columns: [...profile.profiles], metadata,
          storage: { format, byteSize: staged.bytes, objectKey: objectKey(staged.sha256), columns: storedColumns(profile) },
        },
      });
      return { datasetVersionId: staged.sha256, created: events.length > 0, datasetName, format, bytes: staged.bytes, rowCount: profile.rowCount };
    } catch (error) {
      // Published a moment ago for a registration that failed: nothing refers to it.
      if (created) await this.objects.removeUnreferenced(staged.sha256);
      throw error;
    }
  }

  /** The walking skeleton's JSON rows, stored as the JSON Lines they always were (same bytes, same id). */
  uploadRows(input: Omit<UploadInput, 'content' | 'format'> & { rows: unknown }, metadata: CommandMetadata): Promise<UploadResult> {
    if (!Array.isArray(input.rows) || input.rows.length === 0) {
      throw new DomainError('LINEAGE.EMPTY_DATASET', 'a dataset version needs at least one row; for files, POST the bytes to /lineage/datasets/<name>/versions', 400);
    }
    const bytes = Buffer.from(input.rows.map((row) => JSON.stringify(row)).join('\n') + '\n', 'utf8');
    return this.upload({ ...input, format: 'jsonl', content: Readable.from([bytes]) }, metadata);
  }

  private async setPolicies(datasetName: string, supplied: ReturnType<DatasetPolicies['parse']>, metadata: CommandMetadata): Promise<void> {
    if (supplied.privacy) await this.policies.setPrivacy(datasetName, supplied.privacy, metadata);
    if (supplied.bias) await this.policies.setBias(datasetName, supplied.bias, metadata);
  }

  /** Ids whose stream does not exist, asked of the write model: something registered a moment ago counts. */
  private async missingStreams(streamIds: readonly string[], ids: readonly string[]): Promise<string[]> {
    const missing: string[] = [];
    for (const [i, streamId] of streamIds.entries()) if ((await this.runtime.store.streamVersion(streamId)) === 0) missing.push(ids[i]!);
    return missing;
  }
}
