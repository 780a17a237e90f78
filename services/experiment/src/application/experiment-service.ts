import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import type { RunInput } from '@mgov/contracts';
import { type CommandMetadata, DomainError } from '@mgov/decider';
import { projectionRunner } from '@mgov/event-store';
import {
  experimentDecider, experimentIdFor, type KeyValue, type MetricPoint, type RunCommand, runDecider,
} from '@mgov/experiment-domain';
import type { ObjectStore } from '@mgov/object-store';
import type { ServiceModule, ServiceRuntime } from '@mgov/service-runtime';
import { eligibleDatasets, ineligibility } from './eligible-datasets';
import { fairnessMetrics, type FairnessInput } from './fairness';
import { experimentLinks } from './links';
import { artifactUri, TrackingQueries } from './tracking-queries';
import { trackingReadModel } from './tracking-read-model';

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

export interface CreateRunInput {
  readonly experimentId: string;
  readonly runName?: string;
  readonly startTime?: number;
  readonly tags?: readonly KeyValue[];
}

const SHA256_TOKEN = /[0-9a-f]{64}/g;
const SYSTEM: CommandMetadata['actor'] = { id: 'experiment-service', role: 'service' };

/**
 * Experiment tracking bound to eligible data. Every mutation is one command on the run's (or the
 * experiment's) stream; after it the tracking read model is caught up before answering, so a client
 * reads its own writes (MLflow clients log, then search at once).
 */
export class ExperimentService {
  readonly module: ServiceModule;
  readonly queries: TrackingQueries;
  private readonly eligible;
  private readonly tracking;
  private readonly projection;

  constructor(private readonly runtime: ServiceRuntime, private readonly objects: ObjectStore, private readonly artifactMaxBytes = 5 * 1024 ** 3) {
    this.eligible = eligibleDatasets(runtime.schema);
    this.tracking = trackingReadModel(runtime.schema);
    this.queries = new TrackingQueries(runtime.db, this.tracking.tables);
    const readModel = this.tracking;
    this.projection = projectionRunner(runtime.store, {
      name: readModel.name, version: readModel.version, setup: (tx) => readModel.setup(tx), reset: (tx) => readModel.reset(tx),
      handle: (tx, stored) => readModel.handle(tx, runtime.codec.decodeEvent(stored.data)),
    });
    this.module = {
      readModels: [this.tracking], reactors: [this.eligible],
      onStarted: async () => {
        await this.createExperiment({ name: 'Default', ifMissing: true }, { actor: SYSTEM, now: runtime.clock.now(), correlationId: runtime.newId() });
      },
    };
  }

  // ── experiments ──────────────────────────────────────────────────────────────────────────────

  async createExperiment(input: { name: string; artifactLocation?: string; tags?: readonly KeyValue[]; ifMissing?: boolean }, metadata: CommandMetadata) {
    const name = input.name;
    const experimentId = typeof name === 'string' ? experimentIdFor(name) : '';
    await this.runtime.commands.execute({
      streamId: `experiment:${experimentId}`, decider: experimentDecider, links: () => [],
      command: {
        type: 'CreateExperiment', experimentId, name, ifMissing: input.ifMissing, metadata,
        artifactLocation: input.artifactLocation || `mlflow-artifacts:/${experimentId}`,
        tags: Object.fromEntries((input.tags ?? []).map((t) => [t.key, t.value])),
      },
    });
    await this.readOwnWrite(() => this.queries.experimentById(experimentId).then(() => true, () => false));
    return { experimentId };
  }

  // ── runs (MLflow) ────────────────────────────────────────────────────────────────────────────

  async createRun(input: CreateRunInput, metadata: CommandMetadata) {
    const experiment = await this.queries.experimentById(String(input.experimentId ?? ''));
    const runId = this.runtime.newId().replace(/-/g, '');
    const tags = Object.fromEntries((input.tags ?? []).map((t) => [t.key, t.value]));
    await this.run(runId, {
      type: 'StartRun', runId, experimentName: experiment.name, experimentId: experiment.experiment_id, runName: input.runName || tags['mlflow.runName'] || runId.slice(0, 8),
      startTime: input.startTime ?? metadata.now, tags, datasetVersionIds: [], params: {}, requireDataset: false, ineligibleDatasetVersionIds: [], metadata,
    });
    return this.queries.run(runId);
  }

  async logData(runId: string, data: { metrics?: readonly MetricPoint[]; params?: readonly KeyValue[]; tags?: readonly KeyValue[] }, metadata: CommandMetadata) {
    await this.run(runId, { type: 'LogRunData', runId, metrics: data.metrics ?? [], params: data.params ?? [], tags: data.tags ?? [], metadata });
  }

  async updateRun(runId: string, input: { status?: 'RUNNING' | 'FINISHED' | 'FAILED' | 'KILLED'; endTime?: number; runName?: string }, metadata: CommandMetadata) {
    if (input.runName) await this.run(runId, { type: 'LogRunData', runId, metrics: [], params: [], tags: [{ key: 'mlflow.runName', value: input.runName }], metadata });
    if (input.status && input.status !== 'RUNNING') {
      await this.run(runId, { type: 'EndRun', runId, status: input.status, endTime: input.endTime ?? metadata.now, metadata });
    } else if (!input.runName) {
      await this.queries.run(runId);
    }
    return (await this.queries.run(runId)).info;
  }

  async deleteRun(runId: string, metadata: CommandMetadata) {
    await this.run(runId, { type: 'DeleteRun', runId, metadata });
  }

  /**
   * MLflow dataset inputs: one that names a dataset version MGov knows (its 64-hex id in the name,
   * digest, source or the `mgov.dataset_version_id` tag) must be eligible, or the whole call is
   * refused and the refusal recorded; any other input is accepted and marks the run data-unverified.
   */
  async logInputs(runId: string, datasets: ReadonlyArray<{ dataset: Omit<RunInput, 'datasetVersionId' | 'tags'>; tags: Record<string, string> }>, metadata: CommandMetadata) {
    const candidates = datasets.map((d) => [...new Set([d.tags['mgov.dataset_version_id'] ?? '', d.dataset.name, d.dataset.digest, d.dataset.source].join(' ').match(SHA256_TOKEN) ?? [])]);
    const gates = await this.eligible.find(this.runtime.db, candidates.flat());
    const ineligible: Record<string, string> = {};
    const inputs: RunInput[] = datasets.map((d, i) => {
      const known = candidates[i].find((id) => gates.has(id)) ?? null;
      const why = known === null ? null : ineligibility(gates.get(known));
      if (known !== null && why !== null) ineligible[known] = why;
      return { ...d.dataset, tags: { ...d.tags }, datasetVersionId: known };
    });
    await this.run(runId, { type: 'LogInputs', runId, inputs, ineligible, metadata });
    const refused = Object.entries(ineligible);
    if (refused.length > 0) throw notEligible(runId, refused.map(([id, why]) => `dataset version ${id} is not eligible for training: ${why}`));
  }

  // ── artifacts ────────────────────────────────────────────────────────────────────────────────

  /** Streams an artifact into the content-addressed store and records its sha256 on the run. */
  async uploadArtifact(experimentId: string, runId: string, path: string, body: Readable, metadata: CommandMetadata) {
    const run = await this.queries.runExperiment(runId);
    if (!run || run.experimentId !== experimentId) throw new DomainError('EXPERIMENT.RUN_NOT_FOUND', `Run with id=${runId} not found in experiment ${experimentId}`, 404);
    const staged = await this.objects.stage(body, { maxBytes: this.artifactMaxBytes });
    let created = false;
    try {
      created = (await staged.commit()).created;
      await this.run(runId, { type: 'LogArtifact', runId, path, sha256: staged.sha256, size: staged.bytes, metadata });
    } catch (error) {
      if (created) await this.objects.removeUnreferenced(staged.sha256);
      else await staged.discard().catch(() => undefined);
      throw error;
    }
    return { sha256: staged.sha256, size: staged.bytes };
  }

  /** The artifacts directly under `dir` of a run (MLflow's list: names relative to dir). */
  async listArtifacts(experimentId: string, runId: string, dir: string) {
    const run = await this.queries.runExperiment(runId);
    if (!run || run.experimentId !== experimentId) throw new DomainError('EXPERIMENT.RUN_NOT_FOUND', `Run with id=${runId} not found in experiment ${experimentId}`, 404);
    const prefix = dir ? `${dir.replace(/\/+$/, '')}/` : '';
    const entries = new Map<string, { path: string; is_dir: boolean; file_size?: number }>();
    for (const a of await this.queries.artifacts(runId)) {
      if (!a.path.startsWith(prefix)) continue;
      const rest = a.path.slice(prefix.length);
      const slash = rest.indexOf('/');
      const name = slash < 0 ? rest : rest.slice(0, slash);
      if (!entries.has(name)) entries.set(name, slash < 0 ? { path: name, is_dir: false, file_size: a.size } : { path: name, is_dir: true });
    }
    return [...entries.values()];
  }

  async openArtifact(experimentId: string, runId: string, path: string) {
    const run = await this.queries.runExperiment(runId);
    const artifact = run && run.experimentId === experimentId ? (await this.queries.artifacts(runId)).find((a) => a.path === path) : undefined;
    if (!artifact) throw new DomainError('EXPERIMENT.ARTIFACT_NOT_FOUND', `no artifact '${path}' on run ${runId}`, 404);
    return { ...artifact, content: await this.objects.read(artifact.sha256) };
  }

  // ── fairness ─────────────────────────────────────────────────────────────────────────────────

  async logFairness(runId: string, input: FairnessInput, metadata: CommandMetadata) {
    await this.queries.run(runId);
    const computed = await fairnessMetrics(input, metadata.now);
    const evaluationSetSha256 = createHash('sha256').update(JSON.stringify(input)).digest('hex');
    await this.run(runId, { type: 'RecordFairness', runId, ...computed, evaluationSetSha256, metadata });
    return { runId, library: computed.library, rows: computed.rows, metrics: Object.fromEntries(computed.metrics.map((m) => [m.key, Number.isNaN(m.value) ? null : m.value])) };
  }

  // ── the native API (walking skeleton, CLI) ──────────────────────────────────────────────────

  async startRun(input: StartRunInput, metadata: CommandMetadata) {
    const runId = input.runId ?? this.runtime.newId();
    const requested = [...(input.datasetVersionIds ?? [])];
    const gates = await this.eligible.find(this.runtime.db, requested);
    const reasons = Object.fromEntries(requested.flatMap((id) => {
      const why = ineligibility(gates.get(id));
      return why === null ? [] : [[id, why]];
    }));
    const experimentId = typeof input.experimentName === 'string' && input.experimentName.trim()
      ? (await this.createExperiment({ name: input.experimentName, ifMissing: true }, metadata)).experimentId : '';
    const events = await this.run(runId, {
      type: 'StartRun', runId, experimentName: input.experimentName, experimentId, datasetVersionIds: requested, runName: runId.slice(0, 8),
      params: { ...(input.params ?? {}) }, ineligibleDatasetVersionIds: Object.keys(reasons), ineligibilityReasons: reasons, metadata,
    });
    const refused = events.filter((e) => e.type === 'RunRefused');
    if (refused.length > 0) throw notEligible(runId, refused.map((e) => (e.data as { reason: string }).reason));
    return { runId, experimentId, artifactUri: artifactUri(experimentId, runId) };
  }

  async completeRun(runId: string, input: CompleteRunInput, metadata: CommandMetadata) {
    await this.run(runId, { type: 'CompleteRun', runId, metrics: { ...(input.metrics ?? {}) }, artifactDigest: input.artifactDigest ?? null, metadata });
    return { runId, status: 'finished' };
  }

  /** What experiment has seen of lineage's gates for this version (what a run will be judged on). */
  async eligibility(datasetVersionId: string) {
    const gates = (await this.eligible.find(this.runtime.db, [datasetVersionId])).get(datasetVersionId);
    const reason = ineligibility(gates);
    return { datasetVersionId, eligible: reason === null, privacy: gates?.privacy ?? null, bias: gates?.bias ?? null, revoked: gates?.revoked ?? null, reason };
  }

  private async run(runId: string, command: RunCommand) {
    const events = await this.runtime.commands.execute({ streamId: `run:${runId}`, decider: runDecider, links: experimentLinks, command });
    if (events.length > 0) {
      const version = events[events.length - 1].envelope.streamVersion;
      await this.readOwnWrite(() => this.queries.runStreamVersion(runId).then((applied) => applied >= version));
    }
    return events;
  }

  /**
   * Catches the read model up until it shows this request's own write. One pass is enough unless a
   * concurrent transaction holds the log's visibility fence below our event (PostgreSQL with several
   * writers); then it tries again for a short while rather than answer with a stale read.
   */
  private async readOwnWrite(applied: () => Promise<boolean>): Promise<void> {
    for (let attempt = 0; attempt < 100; attempt++) {
      await this.projection.catchUp();
      if (await applied()) return;
      await new Promise((resolve) => setTimeout(resolve, Math.min(1 + attempt, 20)));
    }
    throw new DomainError('EXPERIMENT.READ_MODEL_BEHIND', 'the write is recorded but the run\'s read model has not caught up yet; read it again shortly', 409);
  }
}

function notEligible(runId: string, reasons: readonly string[]): DomainError {
  return new DomainError(
    'EXPERIMENT.DATASET_NOT_ELIGIBLE',
    `run ${runId} refused: ${reasons.join('; ')}. A version is eligible once the privacy gate cleared it and its bias scan passed (or was waived)`,
    422,
  );
}
