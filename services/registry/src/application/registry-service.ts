import { type CommandMetadata, DomainError } from '@mgov/decider';
import { modelDecider, validateModelName } from '@mgov/registry-domain';
import type { ServiceModule, ServiceRuntime } from '@mgov/service-runtime';
import { type RunSummaryRow, runSummaries } from './finished-runs';
import { registryLinks } from './links';
import { type ModelVersionRow, modelVersionsReadModel } from './model-versions-read-model';

export interface SubmitCandidateInput {
  readonly candidateId?: string;
  readonly runId: string;
  readonly artifactDigest: string;
}

/** Candidates, their review and the registry of approved, immutably tagged versions. */
export class RegistryService {
  readonly module: ServiceModule;
  private readonly runs;
  private readonly versions;

  constructor(private readonly runtime: ServiceRuntime) {
    this.runs = runSummaries(runtime.schema);
    this.versions = modelVersionsReadModel(runtime.schema);
    this.module = { readModels: [this.versions], reactors: [this.runs] };
  }

  async submitCandidate(modelName: string, input: SubmitCandidateInput, metadata: CommandMetadata) {
    validateModelName(modelName);
    const candidateId = input.candidateId ?? this.runtime.newId();
    const [run] = await this.runtime.db.query<RunSummaryRow>(`SELECT * FROM ${this.runs.table} WHERE run_id = $1`, [input.runId]);
    await this.runtime.commands.execute({
      streamId: `model:${modelName}`,
      decider: modelDecider,
      links: registryLinks,
      command: {
        type: 'SubmitCandidate', modelName, candidateId, runId: input.runId, artifactDigest: input.artifactDigest,
        datasetVersionIds: run?.dataset_version_ids ?? [],
        run: { status: run?.status ?? 'unknown', artifactDigest: run?.artifact_digest ?? null },
        metadata,
      },
    });
    return { modelName, candidateId, status: 'in-review' };
  }

  async approveCandidate(modelName: string, candidateId: string, justification: string, metadata: CommandMetadata) {
    const events = await this.runtime.commands.execute({
      streamId: `model:${modelName}`,
      decider: modelDecider,
      links: registryLinks,
      command: { type: 'ApproveCandidate', modelName, candidateId, justification: justification ?? '', metadata },
    });
    const registered = events.find((e) => e.type === 'ModelVersionRegistered');
    if (!registered || registered.type !== 'ModelVersionRegistered') {
      throw new DomainError('REGISTRY.ALREADY_APPROVED', `candidate ${candidateId} was already approved`, 409);
    }
    const { version, tag, digest } = registered.data;
    return { modelName, version, tag, digest };
  }

  listVersions(modelName: string): Promise<ModelVersionRow[]> {
    return this.runtime.db.query<ModelVersionRow>(`SELECT * FROM ${this.versions.table} WHERE model_name = $1 ORDER BY version`, [modelName]);
  }

  async getVersion(modelName: string, version: number): Promise<ModelVersionRow> {
    const [row] = await this.runtime.db.query<ModelVersionRow>(`SELECT * FROM ${this.versions.table} WHERE model_name = $1 AND version = $2`, [modelName, version]);
    if (!row) throw new DomainError('REGISTRY.VERSION_NOT_FOUND', `${modelName}:${version} is not in the registry (candidates are not)`, 404);
    return row;
  }
}
