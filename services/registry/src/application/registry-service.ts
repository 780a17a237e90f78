import type { Readable } from 'node:stream';
import { type CommandMetadata, DomainError } from '@mgov/decider';
import type { Sql } from '@mgov/event-store';
import { type ObjectStore, ObjectTamperedError } from '@mgov/object-store';
import {
  biasGate, modelDecider, performanceGate, securityGate, validateModelName,
} from '@mgov/registry-domain';
import type { ServiceModule, ServiceRuntime } from '@mgov/service-runtime';
import { logger } from '@mgov/telemetry';
import { type CandidateRow, candidatesReadModel } from './candidates-read-model';
import { datasetEligibility } from './dataset-eligibility';
import { deploymentsReadModel } from './deployments-read-model';
import { mlmodelSignature, securityEvidence } from './artifact-evidence';
import { registryLinks } from './links';
import { type ModelVersionRow, modelVersionsReadModel } from './model-versions-read-model';
import { quarantines } from './quarantines';
import { recordingRefusals, recordRefusal } from './refusals';
import { ReviewPolicies } from './review-policies';
import { runFacts } from './run-facts';

const log = logger('registry');
const DIGEST = /^sha256:[0-9a-f]{64}$/;

export interface SubmitCandidateInput {
  readonly candidateId?: string;
  readonly runId: string;
  readonly artifactDigest: string;
  /** The model's input (and output) signature, e.g. MLflow's `{"inputs": [...], "outputs": [...]}`. */
  readonly signature?: unknown;
  /** Picks the use case's review policy when the model has none of its own. */
  readonly useCase?: string;
}

interface SubmitOptions {
  readonly source?: 'run' | 'mlflow' | 'retraining';
  readonly submittedBy?: string;
  readonly tx?: Sql;
}

/** Where the deployment pipeline's state is consulted (production's version is the performance baseline). */
export interface ProductionLookup {
  /** Read in `tx` when given: a reactor's transaction (on the one-session embedded database, reading beside it would wait for it forever). */
  serving(modelName: string, tx?: Sql): Promise<{ production?: { version: number } }>;
}

/** Candidates, their mandatory review and the registry of approved, immutably tagged versions. */
export class RegistryService {
  readonly module: ServiceModule;
  readonly policies: ReviewPolicies;
  readonly runs;
  readonly eligibility;
  readonly candidates;
  readonly versions;
  readonly deployments;
  readonly quarantine;
  production: ProductionLookup = { serving: async () => ({}) };
  onQuarantined: (tx: Sql, modelName: string, version: number, reason: string, metadata: CommandMetadata) => Promise<void> = async () => undefined;

  constructor(private readonly runtime: ServiceRuntime, private readonly objects: ObjectStore) {
    this.policies = new ReviewPolicies(runtime);
    this.runs = runFacts(runtime.schema, (tx, runId) => this.submitPendingRetraining(tx, runId));
    this.eligibility = datasetEligibility(runtime.schema);
    this.candidates = candidatesReadModel(runtime.schema);
    this.versions = modelVersionsReadModel(runtime.schema);
    this.deployments = deploymentsReadModel(runtime.schema);
    this.quarantine = quarantines(runtime.schema, {
      quarantined: (tx, modelName, version, reason) => this.onQuarantined(tx, modelName, version, reason, this.systemMetadata()),
      retrainingSucceeded: (tx, data) => this.retrainingSucceeded(tx, data),
    });
    this.module = {
      readModels: [this.policies.readModel, this.candidates, this.versions, this.deployments],
      reactors: [this.runs.reactor, this.eligibility.reactor, this.quarantine.reactor],
    };
  }

  private systemMetadata(): CommandMetadata {
    return { actor: { id: 'registry', role: 'system' }, now: this.runtime.clock.now(), correlationId: this.runtime.newId() };
  }

  /** Takes a finished run's artifact as a candidate, then runs the three automated gates on it. */
  async submitCandidate(modelName: string, input: SubmitCandidateInput, metadata: CommandMetadata, options: SubmitOptions = {}) {
    const candidateId = input?.candidateId ?? this.runtime.newId();
    const run = async () => {
      validateModelName(modelName);
      if (!input || typeof input.runId !== 'string' || !input.runId) throw new DomainError('REGISTRY.INVALID_REQUEST', 'runId is required', 400);
      if (typeof input.artifactDigest !== 'string' || !DIGEST.test(input.artifactDigest)) {
        throw new DomainError('REGISTRY.INVALID_DIGEST', 'artifactDigest must be sha256:<64 lower-case hex digits>', 400);
      }
      const sql = options.tx ?? this.runtime.db;
      const facts = await this.runs.find(sql, input.runId);
      const ineligibleDatasets = await this.eligibility.ineligible(sql, facts.datasetVersionIds);
      const { policyId } = await this.policies.inForce(modelName, input.useCase, options.tx);
      const declared = input.signature === undefined || input.signature === null ? '' : typeof input.signature === 'string' ? input.signature : JSON.stringify(input.signature);
      // Without one given, the signature an MLflow MLmodel file logged beside the model declares.
      const signature = declared || await mlmodelSignature(this.objects, facts, input.artifactDigest.slice('sha256:'.length));
      await this.runtime.commands.execute({
        streamId: `model:${modelName}`, decider: modelDecider, links: registryLinks, tx: options.tx,
        command: {
          type: 'SubmitCandidate', modelName, candidateId, runId: input.runId, artifactDigest: input.artifactDigest, signature,
          source: options.source ?? 'run', run: facts, ineligibleDatasets, policyId, submittedBy: options.submittedBy ?? metadata.actor.id, metadata,
        },
      });
      return this.judge(modelName, candidateId, input.artifactDigest, input.runId, policyId, metadata, options.tx);
    };
    if (options.tx) return run();
    return recordingRefusals(this.runtime, 'submit', { modelName, candidateId, details: { runId: input?.runId, artifactDigest: input?.artifactDigest } }, metadata, run);
  }

  /** Runs the gates a candidate has no verdict from yet (after a failure between submission and judgement); judged gates stay as they are. */
  async rejudge(modelName: string, candidateId: string, metadata: CommandMetadata) {
    return recordingRefusals(this.runtime, 'judge', { modelName, candidateId }, metadata, async () => {
      const candidate = await this.candidateState(modelName, candidateId);
      if (!candidate) throw new DomainError('REGISTRY.CANDIDATE_NOT_FOUND', `candidate ${candidateId} was never submitted for ${modelName}`, 404);
      if (!candidate.policyVersion) throw new DomainError('REGISTRY.NOT_REVIEWABLE', `candidate ${candidateId} was submitted before reviews had policies; submit it again`, 409);
      await this.judge(modelName, candidateId, candidate.artifactDigest, candidate.runId, candidate.policyVersion, metadata);
      // What is recorded, not what was just computed: a gate judged before keeps its verdict.
      return this.eventuallyCandidate(modelName, candidateId);
    });
  }

  private async judge(modelName: string, candidateId: string, digest: string, runId: string, policyId: string, metadata: CommandMetadata, tx?: Sql) {
    const sql = tx ?? this.runtime.db;
    const { policy } = await this.policies.byId(policyId, tx);
    const facts = await this.runs.find(sql, runId);
    const evidence = await securityEvidence(this.objects, policy.security, facts, digest.slice('sha256:'.length));
    const production = await this.productionBaseline(modelName, sql);
    const judgements = [securityGate(policy.security, evidence), performanceGate(policy.performance, facts.metrics, production), biasGate(policy.bias, facts.metrics)];
    await this.runtime.commands.execute({
      streamId: `model:${modelName}`, decider: modelDecider, links: registryLinks, tx,
      command: { type: 'JudgeCandidate', modelName, candidateId, policyId, judgements, metadata },
    });
    return {
      modelName, candidateId, status: 'in-review', policyVersion: policyId,
      gates: Object.fromEntries(judgements.map((j) => [j.gate, { passed: j.passed, findings: j.findings }])),
      passedGates: judgements.every((j) => j.passed),
      requiredApprovals: policy.approval.requiredApprovals,
    };
  }

  private async productionBaseline(modelName: string, sql: Sql): Promise<{ version: number; metrics: Record<string, number> } | null> {
    const { production } = await this.production.serving(modelName, sql);
    if (!production) return null;
    const [row] = await sql.query<ModelVersionRow>(`SELECT * FROM ${this.versions.table} WHERE model_name = $1 AND version = $2`, [modelName, production.version]);
    return row ? { version: row.version, metrics: row.metrics } : null;
  }

  private async candidateState(modelName: string, candidateId: string) {
    return (await this.modelState(modelName)).candidates[candidateId];
  }

  async approveCandidate(modelName: string, candidateId: string, justification: string, metadata: CommandMetadata) {
    return recordingRefusals(this.runtime, 'approve', { modelName, candidateId }, metadata, async () => {
      validateModelName(modelName);
      const candidate = await this.candidateState(modelName, candidateId);
      const requiredApprovals = candidate?.policyVersion ? (await this.policies.byId(candidate.policyVersion)).policy.approval.requiredApprovals : 1;
      const events = await this.runtime.commands.execute({
        streamId: `model:${modelName}`, decider: modelDecider, links: registryLinks,
        command: { type: 'ApproveCandidate', modelName, candidateId, justification: justification ?? '', requiredApprovals, metadata },
      });
      const registered = events.find((e) => e.type === 'ModelVersionRegistered');
      if (registered?.type === 'ModelVersionRegistered') {
        const { version, tag, digest, approvedBy, policyVersion } = registered.data;
        return { modelName, candidateId, status: 'registered', version, tag, digest, approvedBy, policyVersion };
      }
      const approvals = (candidate?.approvals.length ?? 0) + 1;
      return { modelName, candidateId, status: 'in-review', approvals, requiredApprovals };
    });
  }

  async rejectCandidate(modelName: string, candidateId: string, reason: string, metadata: CommandMetadata) {
    return recordingRefusals(this.runtime, 'reject', { modelName, candidateId }, metadata, async () => {
      validateModelName(modelName);
      await this.runtime.commands.execute({
        streamId: `model:${modelName}`, decider: modelDecider, links: registryLinks,
        command: { type: 'RejectCandidate', modelName, candidateId, reason: typeof reason === 'string' ? reason : '', metadata },
      });
      return { modelName, candidateId, status: 'rejected', reason: reason.trim() };
    });
  }

  async archiveVersion(modelName: string, version: number, reason: string, metadata: CommandMetadata) {
    return recordingRefusals(this.runtime, 'archive', { modelName, version }, metadata, async () => {
      validateModelName(modelName);
      await this.runtime.commands.execute({
        streamId: `model:${modelName}`, decider: modelDecider, links: registryLinks,
        command: { type: 'ArchiveVersion', modelName, version, reason: reason ?? '', metadata },
      });
      return { modelName, version, tag: `${modelName}:${version}`, archived: true };
    });
  }

  /** Registers a model name with no version yet (MLflow's registered-models/create). */
  async createRegisteredModel(modelName: string, description: string, metadata: CommandMetadata) {
    validateModelName(modelName);
    await this.runtime.commands.execute({
      streamId: `model:${modelName}`, decider: modelDecider, links: registryLinks,
      command: { type: 'CreateRegisteredModel', modelName, description: description ?? '', metadata },
    });
  }

  async setAlias(modelName: string, alias: string, version: number, metadata: CommandMetadata) {
    return recordingRefusals(this.runtime, 'set-alias', { modelName, version, details: { alias } }, metadata, async () => {
      validateModelName(modelName);
      await this.runtime.commands.execute({
        streamId: `model:${modelName}`, decider: modelDecider, links: registryLinks, command: { type: 'SetAlias', modelName, alias, version, metadata },
      });
      return { modelName, alias, version };
    });
  }

  async deleteAlias(modelName: string, alias: string, metadata: CommandMetadata) {
    validateModelName(modelName);
    await this.runtime.commands.execute({
      streamId: `model:${modelName}`, decider: modelDecider, links: registryLinks, command: { type: 'DeleteAlias', modelName, alias, metadata },
    });
    return { modelName, alias };
  }

  /** The model's write-model state, folded from its stream (consistent right after a write). */
  async modelState(modelName: string) {
    validateModelName(modelName);
    const history = await this.runtime.store.readStream(`model:${modelName}`);
    return history.map((s) => this.runtime.codec.decodeEvent(s.data) as never).reduce(modelDecider.evolve, modelDecider.initialState());
  }

  get db() {
    return this.runtime.db;
  }

  runtimeQuery<T>(sql: string, params: unknown[]): Promise<T[]> {
    return this.runtime.db.query<T>(sql, params);
  }

  /** A candidate just submitted, once the review queue has caught up with its events. */
  async eventuallyCandidate(modelName: string, candidateId: string): Promise<CandidateRow> {
    for (let attempt = 0; ; attempt++) {
      const [row] = await this.runtime.db.query<CandidateRow>(`SELECT * FROM ${this.candidates.table} WHERE model_name = $1 AND candidate_id = $2`, [modelName, candidateId]);
      if ((row && Object.keys(row.gates).length === 3) || attempt >= 400) return row ?? this.candidate(modelName, candidateId);
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  reviewQueue(modelName?: string, status = 'in-review'): Promise<CandidateRow[]> {
    return this.runtime.db.query<CandidateRow>(
      `SELECT * FROM ${this.candidates.table} WHERE ($1::text IS NULL OR model_name = $1) AND ($2::text = 'all' OR status = $2) ORDER BY submitted_at, candidate_id`,
      [modelName ?? null, status],
    );
  }

  async candidate(modelName: string, candidateId: string): Promise<CandidateRow> {
    const [row] = await this.runtime.db.query<CandidateRow>(`SELECT * FROM ${this.candidates.table} WHERE model_name = $1 AND candidate_id = $2`, [modelName, candidateId]);
    if (!row) throw new DomainError('REGISTRY.CANDIDATE_NOT_FOUND', `candidate ${candidateId} was never submitted for ${modelName}`, 404);
    return row;
  }

  private async withQuarantine(rows: ModelVersionRow[]): Promise<Array<ModelVersionRow & { quarantined: boolean }>> {
    const names = [...new Set(rows.map((r) => r.model_name))];
    const marks = new Map<string, Set<number>>();
    for (const name of names) marks.set(name, await this.quarantine.quarantinedVersions(this.runtime.db, name));
    return rows.map((r) => ({ ...r, quarantined: marks.get(r.model_name)?.has(r.version) ?? false }));
  }

  /** Models with approved versions, and names registered before any version (with none). */
  async listModels(): Promise<Array<{ model_name: string; latest_version: number | null; versions: number }>> {
    return this.runtime.db.query(`SELECT model_name, max(version) AS latest_version, count(version)::int AS versions
      FROM (SELECT model_name, version FROM ${this.versions.table} UNION ALL SELECT model_name, NULL FROM ${this.versions.created}) m
      GROUP BY model_name ORDER BY model_name`);
  }

  async listVersions(modelName: string) {
    return this.withQuarantine(await this.runtime.db.query<ModelVersionRow>(`SELECT * FROM ${this.versions.table} WHERE model_name = $1 ORDER BY version`, [modelName]));
  }

  async getVersion(modelName: string, version: number) {
    const [row] = await this.runtime.db.query<ModelVersionRow>(`SELECT * FROM ${this.versions.table} WHERE model_name = $1 AND version = $2`, [modelName, version]);
    if (!row) throw new DomainError('REGISTRY.VERSION_NOT_FOUND', `${modelName}:${version} is not in the registry (candidates are not)`, 404);
    return (await this.withQuarantine([row]))[0]!;
  }

  /** A registered version's bytes, verified against its digest as they stream; a mismatch is refused and recorded. */
  async download(modelName: string, version: number, metadata: CommandMetadata): Promise<{ bytes: number; stream: Readable; digest: string }> {
    const row = await this.getVersion(modelName, version);
    return this.readVerified(row, metadata);
  }

  /** A registered artifact by digest (what rendered manifests fetch); unregistered digests are not served. */
  async downloadByDigest(digest: string, metadata: CommandMetadata) {
    const [row] = await this.runtime.db.query<ModelVersionRow>(`SELECT * FROM ${this.versions.table} WHERE digest = $1 ORDER BY version LIMIT 1`, [digest]);
    if (!row) throw new DomainError('REGISTRY.ARTIFACT_NOT_FOUND', `no registered version holds ${digest}`, 404);
    return this.readVerified(row, metadata);
  }

  private async readVerified(row: ModelVersionRow, metadata: CommandMetadata) {
    const hex = row.digest.slice('sha256:'.length);
    const subject = { modelName: row.model_name, version: row.version, details: { digest: row.digest } };
    try {
      // Verified before the first byte leaves, so a mismatch is a clean refusal rather than a cut-off stream;
      // the stream verifies again on its way out.
      await this.objects.verifiedPath(hex);
      const { bytes, stream } = await this.objects.read(hex);
      stream.on('error', (error) => {
        if (error instanceof ObjectTamperedError) {
          void recordRefusal(this.runtime, 'download', new DomainError('REGISTRY.ARTIFACT_TAMPERED', error.message, 409), { ...subject, details: { digest: row.digest, actualSha256: error.actualSha256 } }, metadata);
        }
      });
      return { bytes, stream, digest: row.digest };
    } catch (error) {
      if (error instanceof ObjectTamperedError) {
        const refused = new DomainError('REGISTRY.ARTIFACT_TAMPERED', `${row.tag}'s stored bytes no longer match ${row.digest} (now sha256:${error.actualSha256}); the download was refused and recorded`, 409);
        await recordRefusal(this.runtime, 'download', refused, { ...subject, details: { digest: row.digest, actualSha256: error.actualSha256 } }, metadata);
        throw refused;
      }
      throw error;
    }
  }

  /** A successful retraining becomes a candidate for the same mandatory review; never approved automatically. */
  private async retrainingSucceeded(tx: Sql, data: { runId: string; modelName: string; artifactDigest: string; approvedBy: string; retrainingId: string }) {
    const facts = await this.runs.find(tx, data.runId);
    if (facts.status !== 'finished') {
      await tx.query(`INSERT INTO ${this.runtime.schema}.retraining_candidates_v1 VALUES ($1, $2) ON CONFLICT DO NOTHING`, [data.runId, JSON.stringify(data)]);
      return;
    }
    await this.submitRetrained(tx, data);
  }

  private async submitPendingRetraining(tx: Sql, runId: string) {
    const [pending] = await tx.query<{ data: { runId: string; modelName: string; artifactDigest: string; approvedBy: string; retrainingId: string } }>(
      `DELETE FROM ${this.runtime.schema}.retraining_candidates_v1 WHERE run_id = $1 RETURNING data`, [runId],
    );
    if (pending) await this.submitRetrained(tx, pending.data);
  }

  private async submitRetrained(tx: Sql, data: { runId: string; modelName: string; artifactDigest: string; approvedBy: string; retrainingId: string }) {
    const metadata = { ...this.systemMetadata(), actor: { id: data.approvedBy, role: 'ml-engineer' } };
    const candidateId = `retraining-${data.retrainingId}`;
    try {
      await this.submitCandidate(data.modelName, { candidateId, runId: data.runId, artifactDigest: data.artifactDigest }, metadata, { source: 'retraining', submittedBy: data.approvedBy, tx });
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      if (error.code === 'REGISTRY.CANDIDATE_EXISTS') return;
      log.warn({ err: error, retrainingId: data.retrainingId }, 'retrained model refused as a candidate');
      await recordRefusal(this.runtime, 'submit-retrained', error, { modelName: data.modelName, candidateId, details: { runId: data.runId } }, metadata, tx);
    }
  }
}
