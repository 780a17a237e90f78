import { type CommandMetadata, DomainError } from '@mgov/decider';
import { SOURCE_KINDS, type SourceKind, sourceDecider } from '@mgov/lineage-domain';
import type { ServiceModule, ServiceRuntime } from '@mgov/service-runtime';
import { BiasScans } from '../bias-scan/bias-scan';
import { DatasetContents } from '../datasets/dataset-content';
import { checkedDatasetName, DatasetPolicies } from '../datasets/dataset-policies';
import { DatasetUploads, DEFAULT_DATASET_MAX_BYTES } from '../datasets/dataset-upload';
import { parseLicenseExpiry } from '../licenses/license-expiry';
import { PrivacyGate } from '../privacy-gate/privacy-gate';
import { pseudonymizationKeyProvider, type PseudonymizationKeySettings } from '../privacy-gate/pseudonymization-key-provider';
import { type ObjectStore, objectStoreFromEnvironment } from '@mgov/object-store';
import { catalogTables, lineageCatalog } from './lineage-read-models';
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

export interface LineageSettings {
  readonly objectStoreDir: string;
  /** Largest upload in bytes (MGOV_DATASET_MAX_BYTES, default 2 GiB). */
  readonly datasetMaxBytes?: number;
  readonly pseudonymizationKey?: PseudonymizationKeySettings;
  /** Another object store adapter (the filesystem one under objectStoreDir by default). */
  readonly objectStore?: ObjectStore;
}

/** Lineage's use cases: sources, dataset uploads and policies, the privacy gate, the bias scan, and their queries. */
export class LineageService {
  readonly module: ServiceModule;
  readonly policies: DatasetPolicies;
  readonly uploads: DatasetUploads;
  readonly privacyGate: PrivacyGate;
  readonly biasScans: BiasScans;
  readonly contents: DatasetContents;
  private readonly tables: ReturnType<typeof catalogTables>;

  constructor(private readonly runtime: ServiceRuntime, settings: LineageSettings) {
    const objects = settings.objectStore ?? objectStoreFromEnvironment(settings.objectStoreDir);
    this.policies = new DatasetPolicies(runtime);
    this.uploads = new DatasetUploads(runtime, objects, this.policies, settings.datasetMaxBytes ?? DEFAULT_DATASET_MAX_BYTES);
    this.privacyGate = new PrivacyGate(runtime, objects, this.policies, pseudonymizationKeyProvider(settings.pseudonymizationKey ?? {}));
    this.biasScans = new BiasScans(runtime, objects, this.policies);
    this.contents = new DatasetContents(runtime, objects);
    this.module = { readModels: [lineageCatalog(runtime.schema)], reactors: [] };
    this.tables = catalogTables(runtime.schema);
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

  async listSources() {
    return this.runtime.db.query(`SELECT source_id, name, kind, license, owner FROM ${this.tables.sources} ORDER BY registered_at, source_id`);
  }

  /** A version as the catalog has it, with the versions the privacy gate derived from it. */
  async getDatasetVersion(id: string) {
    const [row] = await this.runtime.db.query<Record<string, unknown>>(`SELECT * FROM ${this.tables.datasets} WHERE dataset_version_id = $1`, [id]);
    if (!row) throw new DomainError('LINEAGE.DATASET_VERSION_NOT_FOUND', `dataset version ${id} does not exist (or is not projected yet)`, 404);
    const derived = await this.runtime.db.query<{ dataset_version_id: string }>(
      `SELECT dataset_version_id FROM ${this.tables.datasets} WHERE parent_version_ids ? $1 ORDER BY registered_at`, [id],
    );
    return { ...row, derived_version_ids: derived.map((d) => d.dataset_version_id) };
  }

  /** A dataset's policies and its versions, newest first. */
  async getDataset(name: string) {
    const datasetName = checkedDatasetName(name);
    const [policies] = await this.runtime.db.query<{ privacy: unknown; bias: unknown }>(`SELECT privacy, bias FROM ${this.tables.policies} WHERE dataset_name = $1`, [datasetName]);
    const versions = await this.runtime.db.query(
      `SELECT dataset_version_id, parent_version_ids, transformation, format, row_count, byte_size, privacy_status, bias_status, eligible, eligibility_revoked, registered_at
         FROM ${this.tables.datasets} WHERE dataset_name = $1 ORDER BY registered_at DESC, dataset_version_id`, [datasetName],
    );
    if (!policies && versions.length === 0) throw new DomainError('LINEAGE.DATASET_NOT_FOUND', `dataset ${datasetName} has no policy and no version (or they are not projected yet)`, 404);
    return { datasetName, privacyPolicy: policies?.privacy ?? null, biasPolicy: policies?.bias ?? null, versions };
  }
}
