import { MANIFEST_NAME } from '@mgov/artifact-scan';
import { DomainError } from '@mgov/decider';
import type { RunFacts } from '@mgov/registry-domain';
import type { CandidateRow } from '../application/candidates-read-model';
import type { ModelVersionRow } from '../application/model-versions-read-model';

const invalid = (message: string) => new DomainError('REGISTRY.INVALID_REQUEST', message, 400);
const MODEL_FILE = /\.(pkl|pickle|joblib|pt|pth|onnx|safetensors|keras|h5|bin|zip|tar\.gz|tgz)$/i;
const NOT_MODEL = /(^|\/)(MLmodel|conda\.yaml|python_env\.yaml|input_example\.json|serving_input_example\.json|registered_model_meta)$/;

/** The run-relative path a `model-versions/create` source names (`runs:/<run>/<path>` or `…/artifacts/<path>`). */
export function sourcePath(source: string, runId: string): string {
  if (typeof source !== 'string' || !source) throw invalid('source is required (e.g. runs:/<run_id>/model)');
  const runs = /^runs:\/([^/]+)\/?(.*)$/.exec(source);
  if (runs) {
    if (runId && runs[1] !== runId) throw invalid(`source ${source} names run ${runs[1]}, not run_id ${runId}`);
    return runs[2]!.replace(/\/+$/, '');
  }
  const at = source.lastIndexOf('/artifacts/');
  if (at >= 0) return source.slice(at + '/artifacts/'.length).replace(/\/+$/, '');
  if (/\/artifacts\/?$/.test(source)) return '';
  throw invalid(`source ${source} is not a run artifact (runs:/<run_id>/<path> or an artifact URI of the run); MGov registers models from runs it tracked`);
}

/** The model file a source names: the artifact itself, or the one model file under the directory it names. */
export function modelArtifact(run: RunFacts, path: string): RunFacts['artifacts'][number] {
  const exact = run.artifacts.find((a) => a.path === path);
  if (exact) return exact;
  const under = run.artifacts.filter((a) => (path === '' || a.path.startsWith(`${path}/`)) && !MANIFEST_NAME.test(a.path) && !NOT_MODEL.test(a.path));
  const models = under.filter((a) => MODEL_FILE.test(a.path));
  const chosen = models.length === 1 ? models : under.length === 1 ? under : [];
  if (chosen.length === 1) return chosen[0]!;
  if (under.length === 0) throw invalid(`the run logged no artifact under ${path || 'its root'}; log the model file before registering it`);
  throw invalid(`the run logged several files under ${path || 'its root'} (${under.map((a) => a.path).join(', ')}); name the model file in source`);
}

type Tag = { key: string; value: string };

export function readyVersion(row: ModelVersionRow, artifactPath: string, aliases: string[], quarantined: boolean) {
  const at = new Date(row.registered_at).getTime();
  const tags: Tag[] = [
    { key: 'mgov.tag', value: row.tag }, { key: 'mgov.digest', value: row.digest }, { key: 'mgov.policy_version', value: row.policy_version },
    { key: 'mgov.approved_by', value: row.approved_by.join(',') }, ...(quarantined ? [{ key: 'mgov.quarantined', value: 'true' }] : []),
  ];
  return {
    name: row.model_name, version: String(row.version), creation_timestamp: at, last_updated_timestamp: at, user_id: row.submitted_by,
    current_stage: row.archived ? 'Archived' : 'None', description: '', source: `runs:/${row.run_id}/${artifactPath}`, run_id: row.run_id,
    status: 'READY', status_message: `approved by ${row.approved_by.join(', ')} under ${row.policy_version}`, tags, run_link: '', aliases,
  };
}

/** A candidate as MLflow sees it: PENDING_REGISTRATION under review, FAILED_REGISTRATION once it cannot pass. */
export function candidateVersion(row: CandidateRow) {
  const at = new Date(row.submitted_at).getTime();
  const failed = Object.entries(row.gates).filter(([, g]) => !g.passed).map(([gate]) => gate);
  const status = row.status === 'rejected' || failed.length > 0 ? 'FAILED_REGISTRATION' : 'PENDING_REGISTRATION';
  const message = row.status === 'rejected' ? `rejected by ${row.rejected_by}: ${row.rejection_reason}`
    : failed.length > 0 ? `failed the ${failed.join(', ')} gate(s) under ${row.policy_version}`
      : `in review under ${row.policy_version}: ${row.approvals.length} approval(s) so far`;
  return {
    name: row.model_name, version: row.candidate_id, creation_timestamp: at, last_updated_timestamp: at, user_id: row.submitted_by,
    current_stage: 'None', description: '', source: `runs:/${row.run_id}/${row.artifact_path}`, run_id: row.run_id, status, status_message: message,
    tags: [{ key: 'mgov.candidate_id', value: row.candidate_id }, { key: 'mgov.digest', value: row.artifact_digest }], run_link: '', aliases: [] as string[],
  };
}

/** The equality or LIKE clauses of an MLflow search filter this API supports (`name`, `run_id`), joined by AND. */
export function parseFilter(filter: unknown): { name?: { op: '=' | 'LIKE' | 'ILIKE'; value: string }; runId?: string; none?: boolean } {
  if (filter === undefined || filter === null || filter === '') return {};
  if (typeof filter !== 'string') throw invalid('filter must be a string');
  const result: ReturnType<typeof parseFilter> = {};
  for (const clause of filter.split(/\s+AND\s+/i)) {
    // MGov keeps no MLflow tags on models: `tag.x != 'v'` holds for every model, `tag.x = 'v'` for none
    // (the client adds `tag.mlflow.prompt.is_prompt != 'true'` to its searches).
    const tag = /^\s*tags?\.(`[^`]+`|[\w.]+)\s*(=|!=)\s*(['"]).*\3\s*$/i.exec(clause);
    if (tag) {
      if (tag[2] === '=') result.none = true;
      continue;
    }
    const match = /^\s*(name|run_id)\s*(=|LIKE|ILIKE)\s*(['"])(.*)\3\s*$/i.exec(clause);
    if (!match) throw invalid(`unsupported filter clause ${JSON.stringify(clause)}; use name = '…', name LIKE '…' or run_id = '…'`);
    const [, key, op, , value] = match;
    if (key!.toLowerCase() === 'name') result.name = { op: op!.toUpperCase() as 'LIKE', value: value! };
    else if (op === '=') result.runId = value!;
    else throw invalid('run_id only supports =');
  }
  return result;
}

export function matchesName(name: string, clause?: { op: '=' | 'LIKE' | 'ILIKE'; value: string }, none = false): boolean {
  if (none) return false;
  if (!clause) return true;
  if (clause.op === '=') return name === clause.value;
  const pattern = new RegExp(`^${clause.value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/%/g, '.*').replace(/_/g, '.')}$`, clause.op === 'ILIKE' ? 'i' : '');
  return pattern.test(name);
}
