import { DomainError } from '@mgov/decider';
import type { Sql } from '@mgov/event-store';
import { ATTRIBUTES, type Condition, type OrderTerm, parseFilter, parseOrderBy } from './search-filter';
import type { TrackingTables } from './tracking-read-model';

/** A metric value as MLflow's JSON carries it: NaN and the infinities as strings. */
export type JsonDouble = number | 'NaN' | 'Infinity' | '-Infinity';
export const jsonDouble = (value: number): JsonDouble =>
  Number.isNaN(value) ? 'NaN' : value === Infinity ? 'Infinity' : value === -Infinity ? '-Infinity' : value;

export interface ExperimentView {
  experiment_id: string; name: string; artifact_location: string; lifecycle_stage: string; creation_time: number; last_update_time: number;
  tags: Array<{ key: string; value: string }>;
}

export interface RunView {
  info: {
    run_id: string; run_uuid: string; run_name: string; experiment_id: string; user_id: string; status: string;
    start_time: number; end_time?: number; artifact_uri: string; lifecycle_stage: string;
  };
  data: { metrics: Array<{ key: string; value: JsonDouble; timestamp: number; step: number }>; params: Array<{ key: string; value: string }>; tags: Array<{ key: string; value: string }> };
  inputs: { dataset_inputs: Array<{ tags: Array<{ key: string; value: string }>; dataset: Record<string, string> }> };
  /** What MGov knows beyond MLflow: the data the run is bound to and its artifacts' digests. */
  mgov: {
    dataset_version_ids: string[]; unknown_inputs: string[]; data_unverified: boolean; refusals: Array<{ datasetVersionId: string; reason: string }>;
    artifacts: Array<{ path: string; sha256: string; size: number }>; artifact_digest: string | null; experiment_name: string;
  };
}

interface RunRow {
  run_id: string; experiment_id: string; experiment_name: string; run_name: string; user_id: string; status: string; lifecycle_stage: string;
  start_time: string; end_time: string | null; params: Record<string, string>; tags: Record<string, string>; dataset_version_ids: string[];
  unknown_inputs: string[]; inputs: Array<{ name: string; digest: string; sourceType: string; source: string; schema: string; profile: string; tags: Record<string, string> }>;
  refusals: Array<{ datasetVersionId: string; reason: string }>; artifact_digest: string | null;
}
interface PointRow { run_id: string; key: string; value: number; timestamp: string; step: string }

const kv = (record: Record<string, string>) => Object.entries(record).map(([key, value]) => ({ key, value }));
export const artifactUri = (experimentId: string, runId: string) => `mlflow-artifacts:/${experimentId}/${runId}/artifacts`;

const notFound = (what: string) => new DomainError('EXPERIMENT.RUN_NOT_FOUND', what, 404);

function encodeToken(offset: number): string {
  return Buffer.from(JSON.stringify({ offset })).toString('base64url');
}
function decodeToken(token: string | undefined | null): number {
  if (!token) return 0;
  try {
    const { offset } = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { offset: unknown };
    if (Number.isSafeInteger(offset) && (offset as number) >= 0) return offset as number;
  } catch { /* falls through to the error */ }
  throw new DomainError('EXPERIMENT.INVALID_PARAMETER_VALUE', `invalid page_token '${token}'; pass the next_page_token of the previous page`, 400);
}

export interface RunSearch {
  readonly experimentIds: readonly string[];
  readonly filter?: string;
  readonly orderBy?: readonly string[];
  readonly maxResults?: number;
  readonly pageToken?: string;
  readonly viewType?: 'ACTIVE_ONLY' | 'DELETED_ONLY' | 'ALL';
}

/** Reads for MLflow's API, MGov's own and the CLI, all from the tracking read model. */
export class TrackingQueries {
  constructor(private readonly db: Sql, private readonly t: TrackingTables) {}

  async experimentById(experimentId: string): Promise<ExperimentView> {
    const [row] = await this.db.query<Record<string, unknown>>(`SELECT * FROM ${this.t.experiments} WHERE experiment_id = $1`, [experimentId]);
    if (!row) throw new DomainError('EXPERIMENT.EXPERIMENT_NOT_FOUND', `No Experiment with id=${experimentId} exists`, 404);
    return this.experimentView(row);
  }

  async experimentByName(name: string): Promise<ExperimentView> {
    const [row] = await this.db.query<Record<string, unknown>>(`SELECT * FROM ${this.t.experiments} WHERE name = $1`, [name]);
    if (!row) throw new DomainError('EXPERIMENT.EXPERIMENT_NOT_FOUND', `Could not find experiment with name '${name}'`, 404);
    return this.experimentView(row);
  }

  async searchExperiments(options: { maxResults?: number; pageToken?: string; filter?: string }): Promise<{ experiments: ExperimentView[]; next_page_token?: string }> {
    const limit = Math.min(Math.max(options.maxResults ?? 1000, 1), 50_000);
    const offset = decodeToken(options.pageToken);
    const args: unknown[] = [limit + 1, offset];
    let where = `lifecycle_stage = 'active'`;
    const nameLike = options.filter ? /^\s*(?:attributes\.)?name\s+(=|LIKE|ILIKE)\s+['"](.*)['"]\s*$/i.exec(options.filter) : null;
    if (options.filter?.trim() && !nameLike) throw new DomainError('EXPERIMENT.INVALID_PARAMETER_VALUE', "experiment search supports a filter on name only (name = '…' or name LIKE '…')", 400);
    if (nameLike) {
      args.push(nameLike[2]);
      where += ` AND name ${nameLike[1].toUpperCase() === '=' ? '=' : nameLike[1].toUpperCase()} $3`;
    }
    const rows = await this.db.query<Record<string, unknown>>(
      `SELECT * FROM ${this.t.experiments} WHERE ${where} ORDER BY creation_time DESC, experiment_id LIMIT $1 OFFSET $2`, args,
    );
    const page = rows.slice(0, limit).map((row) => this.experimentView(row));
    return rows.length > limit ? { experiments: page, next_page_token: encodeToken(offset + limit) } : { experiments: page };
  }

  async run(runId: string): Promise<RunView> {
    const [row] = await this.db.query<RunRow>(`SELECT * FROM ${this.t.runs} WHERE run_id = $1`, [runId]);
    if (!row) throw notFound(`Run with id=${runId} not found`);
    return (await this.views([row]))[0];
  }

  /** The run's row, or null: for commands that need the run's experiment. */
  async runExperiment(runId: string): Promise<{ experimentId: string; status: string } | null> {
    const [row] = await this.db.query<{ experiment_id: string; status: string }>(`SELECT experiment_id, status FROM ${this.t.runs} WHERE run_id = $1`, [runId]);
    return row ? { experimentId: row.experiment_id, status: row.status } : null;
  }

  /** How much of the run's stream the read model has applied (0: nothing yet). */
  async runStreamVersion(runId: string): Promise<number> {
    const [row] = await this.db.query<{ stream_version: number }>(`SELECT stream_version FROM ${this.t.runs} WHERE run_id = $1`, [runId]);
    return row ? Number(row.stream_version) : 0;
  }

  async metricHistory(runId: string, key: string, options: { maxResults?: number; pageToken?: string } = {}) {
    await this.run(runId);
    const limit = Math.min(Math.max(options.maxResults ?? 25_000, 1), 25_000);
    const offset = decodeToken(options.pageToken);
    const rows = await this.db.query<PointRow>(
      `SELECT m.key, p.value, p.timestamp, p.step FROM ${this.t.metrics} m, unnest(m.values, m.timestamps, m.steps) WITH ORDINALITY AS p(value, timestamp, step, i)
       WHERE m.run_id = $1 AND m.key = $2 ORDER BY p.step, p.timestamp, m.stream_version, p.i LIMIT $3 OFFSET $4`, [runId, key, limit + 1, offset],
    );
    const metrics = rows.slice(0, limit).map((r) => ({ key: r.key, value: jsonDouble(Number(r.value)), timestamp: Number(r.timestamp), step: Number(r.step) }));
    return rows.length > limit ? { metrics, next_page_token: encodeToken(offset + limit) } : { metrics };
  }

  async artifacts(runId: string): Promise<Array<{ path: string; sha256: string; size: number }>> {
    const rows = await this.db.query<{ path: string; sha256: string; size: string }>(`SELECT path, sha256, size FROM ${this.t.artifacts} WHERE run_id = $1 ORDER BY path`, [runId]);
    return rows.map((r) => ({ path: r.path, sha256: r.sha256, size: Number(r.size) }));
  }

  async searchRuns(search: RunSearch): Promise<{ runs: RunView[]; next_page_token?: string }> {
    const conditions = parseFilter(search.filter);
    const order = parseOrderBy(search.orderBy);
    const limit = search.maxResults ?? 1000;
    if (!Number.isSafeInteger(limit) || limit < 1 || limit > 50_000) {
      throw new DomainError('EXPERIMENT.INVALID_PARAMETER_VALUE', `Invalid value ${limit} for parameter 'max_results' supplied: it must be between 1 and 50000`, 400);
    }
    const offset = decodeToken(search.pageToken);
    const args: unknown[] = [[...search.experimentIds]];
    const arg = (value: unknown) => `$${args.push(value)}`;
    const stage = search.viewType === 'ALL' ? '' : ` AND r.lifecycle_stage = '${search.viewType === 'DELETED_ONLY' ? 'deleted' : 'active'}'`;
    const where = [`r.experiment_id = ANY($1) AND r.status <> 'REFUSED'${stage}`, ...conditions.map((c) => this.condition(c, arg))];
    const orderSql = [...order.map((o) => this.orderTerm(o, arg)), 'r.start_time DESC', 'r.run_id'];
    const rows = await this.db.query<RunRow>(
      `SELECT r.* FROM ${this.t.runs} r WHERE ${where.join(' AND ')} ORDER BY ${orderSql.join(', ')} LIMIT ${arg(limit + 1)} OFFSET ${arg(offset)}`, args,
    );
    const runs = await this.views(rows.slice(0, limit));
    return rows.length > limit ? { runs, next_page_token: encodeToken(offset + limit) } : { runs };
  }

  /** Runs across experiments for MGov's own listing (newest first), refused ones included. */
  async listRuns(options: { experimentName?: string; limit?: number }): Promise<RunView[]> {
    const rows = await this.db.query<RunRow>(
      `SELECT * FROM ${this.t.runs} WHERE ($1::text IS NULL OR experiment_name = $1) ORDER BY start_time DESC, run_id LIMIT $2`,
      [options.experimentName ?? null, Math.min(options.limit ?? 100, 1000)],
    );
    return this.views(rows);
  }

  private condition(c: Condition, arg: (v: unknown) => string): string {
    const op = c.comparator;
    const sqlOp = op === '!=' ? '<>' : op;
    if (c.kind === 'metric') {
      return `EXISTS (SELECT 1 FROM ${this.t.latest} m WHERE m.run_id = r.run_id AND m.key = ${arg(c.key)} AND m.value ${sqlOp} ${arg(c.value)})`;
    }
    if (c.kind === 'param' || c.kind === 'tag') return `(r.${c.kind}s ->> ${arg(c.key)}) ${sqlOp} ${arg(c.value)}`;
    return `${this.attributeColumn(c.key)} ${sqlOp} ${arg(ATTRIBUTES[c.key] === 'number' ? c.value : c.value)}`;
  }

  private attributeColumn(key: string): string {
    switch (key) {
      case 'created': return 'r.start_time';
      case 'artifact_uri': return `('mlflow-artifacts:/' || r.experiment_id || '/' || r.run_id || '/artifacts')`;
      default: return `r.${key}`;
    }
  }

  private orderTerm(o: OrderTerm, arg: (v: unknown) => string): string {
    const direction = o.ascending ? 'ASC' : 'DESC';
    if (o.kind === 'metric') return `(SELECT m.value FROM ${this.t.latest} m WHERE m.run_id = r.run_id AND m.key = ${arg(o.key)}) ${direction} NULLS LAST`;
    if (o.kind === 'param' || o.kind === 'tag') return `(r.${o.kind}s ->> ${arg(o.key)}) ${direction} NULLS LAST`;
    return `${this.attributeColumn(o.key)} ${direction} NULLS LAST`;
  }

  private experimentView(row: Record<string, unknown>): ExperimentView {
    return {
      experiment_id: String(row.experiment_id), name: String(row.name), artifact_location: String(row.artifact_location), lifecycle_stage: String(row.lifecycle_stage),
      creation_time: Number(row.creation_time), last_update_time: Number(row.last_update_time), tags: kv(row.tags as Record<string, string>),
    };
  }

  private async views(rows: readonly RunRow[]): Promise<RunView[]> {
    if (rows.length === 0) return [];
    const ids = rows.map((r) => r.run_id);
    const latest = await this.db.query<PointRow>(`SELECT run_id, key, value, timestamp, step FROM ${this.t.latest} WHERE run_id = ANY($1) ORDER BY key`, [ids]);
    const artifacts = await this.db.query<{ run_id: string; path: string; sha256: string; size: string }>(
      `SELECT run_id, path, sha256, size FROM ${this.t.artifacts} WHERE run_id = ANY($1) ORDER BY path`, [ids],
    );
    return rows.map((r) => ({
      info: {
        run_id: r.run_id, run_uuid: r.run_id, run_name: r.run_name, experiment_id: r.experiment_id, user_id: r.user_id, status: r.status,
        start_time: Number(r.start_time), ...(r.end_time === null ? {} : { end_time: Number(r.end_time) }),
        artifact_uri: artifactUri(r.experiment_id, r.run_id), lifecycle_stage: r.lifecycle_stage,
      },
      data: {
        metrics: latest.filter((m) => m.run_id === r.run_id).map((m) => ({ key: m.key, value: jsonDouble(Number(m.value)), timestamp: Number(m.timestamp), step: Number(m.step) })),
        params: kv(r.params), tags: kv(r.tags),
      },
      inputs: {
        dataset_inputs: r.inputs.map((i) => ({
          tags: kv(i.tags),
          dataset: { name: i.name, digest: i.digest, source_type: i.sourceType, source: i.source, ...(i.schema ? { schema: i.schema } : {}), ...(i.profile ? { profile: i.profile } : {}) },
        })),
      },
      mgov: {
        experiment_name: r.experiment_name, dataset_version_ids: r.dataset_version_ids, unknown_inputs: r.unknown_inputs, data_unverified: r.unknown_inputs.length > 0,
        refusals: r.refusals, artifact_digest: r.artifact_digest,
        artifacts: artifacts.filter((a) => a.run_id === r.run_id).map((a) => ({ path: a.path, sha256: a.sha256, size: Number(a.size) })),
      },
    }));
  }
}
