import type { ColumnProfile } from '@mgov/contracts';
import { type CommandMetadata, DomainError } from '@mgov/decider';
import { datasetVersionDecider, SOURCE_KINDS, type SourceKind, sourceDecider } from '@mgov/lineage-domain';
import type { ServiceModule, ServiceRuntime } from '@mgov/service-runtime';
import { profileColumns } from '@mgov/stats';
import { parseLicenseExpiry } from '../licenses/license-expiry';
import { ContentAddressedStore } from './content-addressed-store';
import { type DatasetVersionRow, lineageCatalog, type SourceRow } from './lineage-read-models';
import { lineageLinks } from './links';

export interface RegisterSourceInput {
  readonly sourceId?: string;
  readonly name: string;
  readonly kind: SourceKind;
  readonly license: string;
  readonly owner: string;
  readonly personalDataColumns?: readonly string[];
  /** ISO 8601 date or epoch ms; absent or null: the license does not expire. */
  readonly licenseExpiresAt?: string | number | null;
}

export interface RegisterDatasetVersionInput {
  readonly datasetName: string;
  readonly sourceIds: readonly string[];
  readonly parentVersionIds?: readonly string[];
  readonly transformation?: string | null;
  readonly rows: ReadonlyArray<Record<string, unknown>>;
}

/** Lineage's use cases: sources, content-addressed dataset versions, and (stub) eligibility. */
export class LineageService {
  readonly module: ServiceModule;
  private readonly objects: ContentAddressedStore;
  private readonly tables: { sources: string; datasets: string };

  constructor(private readonly runtime: ServiceRuntime, objectStoreDir: string) {
    this.objects = new ContentAddressedStore(objectStoreDir);
    this.module = { readModels: [lineageCatalog(runtime.schema)], reactors: [] };
    this.tables = { sources: `${runtime.schema}.catalog_sources_v1`, datasets: `${runtime.schema}.catalog_dataset_versions_v1` };
  }

  async registerSource(input: RegisterSourceInput, metadata: CommandMetadata): Promise<{ sourceId: string }> {
    if (!SOURCE_KINDS.includes(input.kind)) {
      throw new DomainError('LINEAGE.INVALID_SOURCE_KIND', `kind must be one of ${SOURCE_KINDS.join(', ')}`, 400);
    }
    const sourceId = input.sourceId ?? this.runtime.newId();
    await this.runtime.commands.execute({
      streamId: `source:${sourceId}`,
      decider: sourceDecider,
      links: lineageLinks,
      command: {
        type: 'RegisterSource', sourceId, name: input.name, kind: input.kind, license: input.license ?? '',
        owner: input.owner ?? metadata.actor.id, personalDataColumns: input.personalDataColumns ?? [],
        licenseExpiresAt: parseLicenseExpiry(input.licenseExpiresAt), metadata,
      },
    });
    return { sourceId };
  }

  async registerDatasetVersion(input: RegisterDatasetVersionInput, metadata: CommandMetadata) {
    if (!Array.isArray(input.rows) || input.rows.length === 0) {
      throw new DomainError('LINEAGE.EMPTY_DATASET', 'a dataset version needs at least one row', 400);
    }
    // The stored form is JSON Lines, one row per line: the version id is the sha256 of those bytes.
    const bytes = Buffer.from(input.rows.map((row) => JSON.stringify(row)).join('\n') + '\n', 'utf8');
    const datasetVersionId = await this.objects.put(bytes);
    // Asked of the write model, not a read model: a source registered a moment ago counts.
    const knownIds = new Set<string>();
    for (const id of input.sourceIds ?? []) {
      if ((await this.runtime.store.streamVersion(`source:${id}`)) > 0) knownIds.add(id);
    }
    const columns: ColumnProfile[] = profileColumns(input.rows as Record<string, unknown>[]);
    const events = await this.runtime.commands.execute({
      streamId: `dataset-version:${datasetVersionId}`,
      decider: datasetVersionDecider,
      links: lineageLinks,
      command: {
        type: 'RegisterDatasetVersion', datasetVersionId, datasetName: input.datasetName, sourceIds: input.sourceIds ?? [],
        unknownSourceIds: (input.sourceIds ?? []).filter((id) => !knownIds.has(id)), parentVersionIds: input.parentVersionIds ?? [],
        transformation: input.transformation ?? null, rowCount: input.rows.length, columns, metadata,
      },
    });
    return { datasetVersionId, events };
  }

  /** The walking skeleton's stand-in for the privacy gate and bias scan (data governance issue). */
  async clearForTraining(datasetVersionId: string, metadata: CommandMetadata) {
    return this.runtime.commands.execute({
      streamId: `dataset-version:${datasetVersionId}`,
      decider: datasetVersionDecider,
      links: lineageLinks,
      command: { type: 'ClearForTraining', datasetVersionId, gate: 'stub', policyVersion: 'skeleton-0', metadata },
    });
  }

  async listSources(): Promise<SourceRow[]> {
    return this.runtime.db.query<SourceRow>(`SELECT source_id, name, kind, license, owner FROM ${this.tables.sources} ORDER BY registered_at, source_id`);
  }

  async getDatasetVersion(id: string): Promise<DatasetVersionRow> {
    const [row] = await this.runtime.db.query<DatasetVersionRow>(
      `SELECT dataset_version_id, dataset_name, source_ids, row_count, eligible, registered_at FROM ${this.tables.datasets} WHERE dataset_version_id = $1`, [id],
    );
    if (!row) throw new DomainError('LINEAGE.DATASET_VERSION_NOT_FOUND', `dataset version ${id} does not exist (or is not projected yet)`, 404);
    return row;
  }
}
