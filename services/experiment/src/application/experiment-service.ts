import { type CommandMetadata, DomainError } from '@mgov/decider';
import { runDecider } from '@mgov/experiment-domain';
import type { ServiceModule, ServiceRuntime } from '@mgov/service-runtime';
import { eligibleDatasets, ineligibility } from './eligible-datasets';
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
    const gates = await this.eligible.find(this.runtime.db, requested);
    const reasons = Object.fromEntries(requested.flatMap((id) => {
      const why = ineligibility(gates.get(id));
      return why === null ? [] : [[id, why]];
    }));
    const events = await this.runtime.commands.execute({
      streamId: `run:${runId}`,
      decider: runDecider,
      links: experimentLinks,
      command: {
        type: 'StartRun', runId, experimentName: input.experimentName, datasetVersionIds: requested,
        params: { ...(input.params ?? {}) }, ineligibleDatasetVersionIds: Object.keys(reasons), ineligibilityReasons: reasons, metadata,
      },
    });
    const refused = events.filter((e) => e.type === 'RunRefused');
    if (refused.length > 0) {
      throw new DomainError(
        'EXPERIMENT.DATASET_NOT_ELIGIBLE',
        `run ${runId} refused: ${refused.map((e) => (e.data as { reason: string }).reason).join('; ')}. A version is eligible once the privacy gate cleared it and its bias scan passed (or was waived)`,
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

  /** What experiment has seen of lineage's gates for this version (what a run will be judged on). */
  async eligibility(datasetVersionId: string) {
    const gates = (await this.eligible.find(this.runtime.db, [datasetVersionId])).get(datasetVersionId);
    const reason = ineligibility(gates);
    return { datasetVersionId, eligible: reason === null, privacy: gates?.privacy ?? null, bias: gates?.bias ?? null, reason };
  }

  async getRun(runId: string): Promise<RunRow> {
    const [row] = await this.runtime.db.query<RunRow>(`SELECT * FROM ${this.runs.table} WHERE run_id = $1`, [runId]);
    if (!row) throw new DomainError('EXPERIMENT.RUN_NOT_FOUND', `run ${runId} does not exist (or is not projected yet)`, 404);
    return row;
  }
}
