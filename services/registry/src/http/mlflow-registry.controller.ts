import { randomBytes } from 'node:crypto';
import { Body, Controller, Delete, Get, HttpCode, Inject, Post, Query, UseFilters } from '@nestjs/common';
import { type CommandMetadata, DomainError } from '@mgov/decider';
import { Metadata, MlflowErrorFilter, Requires, type Role } from '@mgov/http-edge';
import { validateModelName } from '@mgov/registry-domain';
import type { CandidateRow } from '../application/candidates-read-model';
import type { ModelVersionRow } from '../application/model-versions-read-model';
import type { RegistryService } from '../application/registry-service';
import { candidateVersion, matchesName, modelArtifact, parseFilter, readyVersion, sourcePath } from './mlflow-registry-views';
import { READERS, REGISTRY_SERVICE } from './registry.controller';

type Json = Record<string, unknown>;
const WRITERS: Role[] = ['data-scientist', 'ml-engineer'];
const invalid = (message: string) => new DomainError('REGISTRY.INVALID_REQUEST', message, 400);
const str = (body: Json, key: string, required = true): string => {
  const value = body?.[key];
  if (value === undefined || value === null || value === '') {
    if (required) throw invalid(`${key} is required`);
    return '';
  }
  if (typeof value !== 'string') throw invalid(`${key} must be a string`);
  return value;
};
const maxResults = (value: unknown, fallback: number) => {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 200_000) throw invalid('max_results must be a positive integer');
  return n;
};
const offsetOf = (token: unknown) => (typeof token === 'string' && /^\d+$/.test(token) ? Number(token) : 0);

/**
 * MLflow's model registry REST API over MGov's registry. `model-versions/create` submits a candidate to
 * the mandatory review (PENDING_REGISTRATION, or FAILED_REGISTRATION once a gate failed); only approved
 * versions are READY, numbered, searchable and downloadable. A pending version is named by its candidate id.
 */
@Controller('api/2.0/mlflow')
@UseFilters(MlflowErrorFilter)
export class MlflowRegistryController {
  constructor(@Inject(REGISTRY_SERVICE) private readonly registry: RegistryService) {}

  private async aliasesOf(name: string): Promise<Array<{ alias: string; version: number }>> {
    return this.registry.runtimeQuery<{ alias: string; version: number }>(`SELECT alias, version FROM ${this.registry.versions.aliases} WHERE model_name = $1 ORDER BY alias`, [name]);
  }

  private async ready(row: ModelVersionRow) {
    const [candidate] = await this.registry.runtimeQuery<{ artifact_path: string }>(`SELECT artifact_path FROM ${this.registry.candidates.table} WHERE candidate_id = $1`, [row.candidate_id]);
    const aliases = (await this.aliasesOf(row.model_name)).filter((a) => a.version === row.version).map((a) => a.alias);
    const quarantined = (await this.registry.quarantine.quarantinedVersions(this.registry.db, row.model_name)).has(row.version);
    return readyVersion(row, candidate?.artifact_path ?? '', aliases, quarantined);
  }

  private async registeredModel(name: string) {
    validateModelName(name);
    const versions = await this.registry.listVersions(name);
    const candidates = await this.registry.reviewQueue(name, 'all');
    const [created] = await this.registry.runtimeQuery<{ description: string; created_by: string; created_at: Date }>(`SELECT * FROM ${this.registry.versions.created} WHERE model_name = $1`, [name]);
    if (versions.length === 0 && candidates.length === 0 && !created) throw new DomainError('REGISTRY.MODEL_NOT_FOUND', `Registered Model with name=${name} not found`, 404);
    const times = [
      ...versions.map((v) => new Date(v.registered_at).getTime()), ...candidates.map((c) => new Date(c.submitted_at).getTime()),
      ...(created ? [new Date(created.created_at).getTime()] : []),
    ];
    const latest = versions.at(-1);
    return {
      name, creation_timestamp: Math.min(...times), last_updated_timestamp: Math.max(...times), description: created?.description ?? '', user_id: created?.created_by ?? '',
      latest_versions: latest ? [await this.ready(latest)] : [], tags: [], aliases: (await this.aliasesOf(name)).map((a) => ({ alias: a.alias, version: String(a.version) })),
    };
  }

  /** Registers the name (an event); it holds no version until a candidate is approved. */
  @Post('registered-models/create')
  @HttpCode(200)
  @Requires(...WRITERS)
  async createRegisteredModel(@Body() body: Json, @Metadata() metadata: CommandMetadata) {
    const name = str(body, 'name');
    await this.registry.createRegisteredModel(name, str(body, 'description', false), metadata);
    const now = Date.now();
    return { registered_model: { name, creation_timestamp: now, last_updated_timestamp: now, user_id: metadata.actor.id, description: str(body, 'description', false), latest_versions: [], tags: [], aliases: [] } };
  }

  @Get('registered-models/get')
  @Requires(...READERS)
  async getRegisteredModel(@Query() query: Json) {
    return { registered_model: await this.registeredModel(str(query, 'name')) };
  }

  /** Models with at least one approved version (`filter` on name: `=`, `LIKE`, `ILIKE`). */
  @Get('registered-models/search')
  @Requires(...READERS)
  async searchRegisteredModels(@Query() query: Json) {
    const { name, none } = parseFilter(query.filter);
    const limit = maxResults(query.max_results, 100);
    const offset = offsetOf(query.page_token);
    const names = (await this.registry.listModels()).map((m) => m.model_name).filter((n) => matchesName(n, name, none));
    const page = names.slice(offset, offset + limit);
    const models = [];
    for (const n of page) models.push(await this.registeredModel(n));
    return { registered_models: models, ...(offset + limit < names.length ? { next_page_token: String(offset + limit) } : {}) };
  }

  /** Submits the run's model artifact named by `source` as a candidate: the review starts, nothing is registered yet. */
  @Post('model-versions/create')
  @HttpCode(200)
  @Requires(...WRITERS)
  async createModelVersion(@Body() body: Json, @Metadata() metadata: CommandMetadata) {
    const name = str(body, 'name');
    validateModelName(name);
    const runId = str(body, 'run_id', false) || /^runs:\/([^/]+)/.exec(str(body, 'source'))?.[1] || '';
    if (!runId) throw invalid('run_id is required: MGov registers models from runs it tracked');
    const run = await this.registry.runs.find(this.registry.db, runId);
    const artifact = modelArtifact(run, sourcePath(str(body, 'source'), runId));
    const tags = Array.isArray(body.tags) ? (body.tags as Array<{ key?: string; value?: string }>) : [];
    const signature = tags.find((t) => t.key === 'mlflow.signature')?.value;
    const candidateId = `mlflow-${randomBytes(6).toString('hex')}`;
    const submitted = await this.registry.submitCandidate(name, { candidateId, runId, artifactDigest: `sha256:${artifact.sha256}`, signature }, metadata, { source: 'mlflow' });
    const view = candidateVersion(await this.registry.eventuallyCandidate(name, candidateId));
    // The verdicts just recorded decide the status, whether or not the review queue has caught up.
    return { model_version: submitted.passedGates ? view : { ...view, status: 'FAILED_REGISTRATION' } };
  }

  private async version(name: string, version: string) {
    validateModelName(name);
    if (/^\d+$/.test(version)) return this.ready(await this.registry.getVersion(name, Number(version)));
    const candidate: CandidateRow = await this.registry.candidate(name, version);
    if (candidate.status === 'registered' && candidate.version !== null) return this.ready(await this.registry.getVersion(name, candidate.version));
    return candidateVersion(candidate);
  }

  @Get('model-versions/get')
  @Requires(...READERS)
  async getModelVersion(@Query() query: Json) {
    return { model_version: await this.version(str(query, 'name'), str(query, 'version')) };
  }

  /** Approved versions only (`filter`: `name = '…'`, `name LIKE '…'`, `run_id = '…'`). */
  @Get('model-versions/search')
  @Requires(...READERS)
  async searchModelVersions(@Query() query: Json) {
    const { name, runId, none } = parseFilter(query.filter);
    const limit = maxResults(query.max_results, 10_000);
    const offset = offsetOf(query.page_token);
    const rows = await this.registry.runtimeQuery<ModelVersionRow>(
      `SELECT * FROM ${this.registry.versions.table} WHERE ($1::text IS NULL OR run_id = $1) ORDER BY model_name, version DESC`, [runId ?? null],
    );
    const matching = rows.filter((r) => matchesName(r.model_name, name, none));
    const versions = [];
    for (const row of matching.slice(offset, offset + limit)) versions.push(await this.ready(row));
    return { model_versions: versions, ...(offset + limit < matching.length ? { next_page_token: String(offset + limit) } : {}) };
  }

  /** Where an approved version's files are; a candidate has none to give. */
  @Get('model-versions/get-download-uri')
  @Requires(...READERS)
  async getDownloadUri(@Query() query: Json) {
    const view = await this.version(str(query, 'name'), str(query, 'version'));
    if (view.status !== 'READY') throw new DomainError('REGISTRY.NOT_APPROVED', `version ${view.version} of ${view.name} is ${view.status}: only approved versions can be downloaded`, 409);
    return { artifact_uri: view.source };
  }

  @Post('registered-models/alias')
  @HttpCode(200)
  @Requires(...WRITERS)
  async setAlias(@Body() body: Json, @Metadata() metadata: CommandMetadata) {
    const version = str(body, 'version');
    if (!/^\d+$/.test(version)) throw new DomainError('REGISTRY.NOT_APPROVED', `version ${version} is not an approved version; aliases point at approved versions only`, 400);
    await this.registry.setAlias(str(body, 'name'), str(body, 'alias'), Number(version), metadata);
    return {};
  }

  @Delete('registered-models/alias')
  @HttpCode(200)
  @Requires(...WRITERS)
  async deleteAlias(@Body() body: Json, @Query() query: Json, @Metadata() metadata: CommandMetadata) {
    const source = body && Object.keys(body).length > 0 ? body : query;
    await this.registry.deleteAlias(str(source, 'name'), str(source, 'alias'), metadata);
    return {};
  }

  @Get('registered-models/alias')
  @Requires(...READERS)
  async getByAlias(@Query() query: Json) {
    const name = str(query, 'name');
    validateModelName(name);
    const alias = str(query, 'alias');
    const version = (await this.registry.modelState(name)).aliases[alias];
    if (version === undefined) throw new DomainError('REGISTRY.ALIAS_NOT_FOUND', `Registered model alias ${alias} not found.`, 404);
    return { model_version: await this.ready(await this.registry.getVersion(name, version)) };
  }
}
