import { type CommandMetadata, DomainError } from '@mgov/decider';
import { runDecider } from '@mgov/experiment-domain';
import type { ServiceModule, ServiceRuntime } from '@mgov/service-runtime';
import { eligibleDatasets } from './eligible-datasets';
import { experimentLinks } from './links';
import { type RunRow, runsReadModel } from './runs-read-model';

export interface StartRunInput {
  readonly runId?: string;
  readonly experimentName: string;
  readonly datasetVersionIds: readonly string[];
  readonly params?: Readonly<Record<string, string>>;
}

export interface CompleteRunInput {
  readonly metrics: Readonly<Record<string, number>>;
  readonly artifactDigest?: string | null;
}

/** Experiment tracking bound to eligible data: a run on uncleared data is refused and recorded. */
export class ExperimentService {
  readonly module: ServiceModule;
  private readonly eligible;
  private readonly runs;

  constructor(private readonly runtime: ServiceRuntime) {
    this.eligible = eligibleDatasets(runtime.schema);
    this.runs = runsReadModel(runtime.schema);
    this.module = { readModels: [this.runs], reactors: [this.eligible] };
  }

  async startRun(input: StartRunInput, metadata: CommandMetadata) {
    const runId = input.runId ?? this.runtime.newId();
    const requested = [...(input.datasetVersionIds ?? [])];
    const eligible = await this.runtime.db.query<{ dataset_version_id: string }>(
      `SELECT dataset_version_id FROM ${this.eligible.table} WHERE dataset_version_id = ANY($1)`, [requested],
    );
    const eligibleIds = new Set(eligible.map((r) => r.dataset_version_id));
    const events = await this.runtime.commands.execute({
      streamId: `run:${runId}`,
      decider: runDecider,
      links: experimentLinks,
      command: {
        type: 'StartRun', runId, experimentName: input.experimentName, datasetVersionIds: requested,
        params: { ...(input.params ?? {}) }, ineligibleDatasetVersionIds: requested.filter((id) => !eligibleIds.has(id)), metadata,
      },
    });
    const refused = events.filter((e) => e.type === 'RunRefused');
    if (refused.length > 0) {
      throw new DomainError(
        'EXPERIMENT.DATASET_NOT_ELIGIBLE',
        `run ${runId} refused: dataset version(s) ${refused.map((e) => (e.data as { datasetVersionId: string }).datasetVersionId).join(', ')} are not cleared for training; clear them through lineage first`,
        422,
      );
    }
    return { runId };
  }

  async completeRun(runId: string, input: CompleteRunInput, metadata: CommandMetadata) {
    await this.runtime.commands.execute({
      streamId: `run:${runId}`,
      decider: runDecider,
      links: experimentLinks,
      command: { type: 'CompleteRun', runId, metrics: { ...(input.metrics ?? {}) }, artifactDigest: input.artifactDigest ?? null, metadata },
    });
    return { runId, status: 'finished' };
  }

  /** Whether experiment has seen lineage clear this dataset version (what a run will be judged on). */
  async eligibility(datasetVersionId: string) {
    const rows = await this.runtime.db.query(`SELECT 1 FROM ${this.eligible.table} WHERE dataset_version_id = $1`, [datasetVersionId]);
    return { datasetVersionId, eligible: rows.length > 0 };
  }

  async getRun(runId: string): Promise<RunRow> {
    const [row] = await this.runtime.db.query<RunRow>(`SELECT * FROM ${this.runs.table} WHERE run_id = $1`, [runId]);
    if (!row) throw new DomainError('EXPERIMENT.RUN_NOT_FOUND', `run ${runId} does not exist (or is not projected yet)`, 404);
    return row;
  }
}
