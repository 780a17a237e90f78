import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { issueApiKey, type KeyHolder, MgovClient, prepareEligibleDataset, sampler, untilKnownEverywhere } from '@mgov/demo-flow';
import type { RunningHost } from '@mgov/http-edge';
import { startEmbeddedPlatform } from '../src/embedded-platform';
import { bootstrapAdmin } from './access.fixture';
import { requirePythonClient, runMgov } from './process.fixture';

const normal = sampler(11);

const SCRIPT = resolve(__dirname, '../../registry/test/compat/mlflow_registry.py');

type Json = Record<string, unknown>;



describe('MLflow model registry API with the real mlflow Python client (embedded runtime)', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'mgov-mlflow-registry-'));
  const admin = bootstrapAdmin();
  let host: RunningHost;
  let client: MgovClient;
  let scientist: KeyHolder;
  let reviewer: KeyHolder;
  let datasetVersionId: string;
  const python = async (args: string[]) => {
    const { stdout } = await promisify(execFile)('python3', [SCRIPT, ...args], {
      timeout: 120_000, env: { ...process.env, MLFLOW_TRACKING_URI: host.url, MLFLOW_TRACKING_TOKEN: scientist.token, GIT_PYTHON_REFRESH: 'quiet' },
    });
    return JSON.parse(stdout.trim().split('\n').pop()!) as Json;
  };

  beforeAll(async () => {
    requirePythonClient('mlflow', 'import mlflow, pandas; print(mlflow.__version__)');
    host = await startEmbeddedPlatform({ dataDir, port: 0, bootstrapToken: admin.token });
    client = new MgovClient(() => host.url);
    const steward = await issueApiKey(client, admin, 'sam-steward', ['data-steward']);
    scientist = await issueApiKey(client, admin, 'ada-scientist', ['data-scientist']);
    reviewer = await issueApiKey(client, admin, 'grace-reviewer', ['model-reviewer']);
    await untilKnownEverywhere(client, [steward, scientist, reviewer]);
    const suffix = randomBytes(3).toString('hex');
    const { sourceId } = await client.call<{ sourceId: string }>('lineage', 'POST', '/lineage/sources', steward, {
      sourceId: `crm-${suffix}`, name: 'CRM export', kind: 'anonymized-client', license: 'LicenseRef-dpa', owner: 'data-office', personalDataColumns: ['customer_id'],
    });
    ({ datasetVersionId } = await prepareEligibleDataset(client, steward, { sourceId, datasetName: `loans-${suffix}`, normal }));
    await client.eventually('registry to see the version as eligible', async () => {
      const registry = host.kernels.find((k) => k.runtime.name === 'registry')!.runtime;
      return (await registry.db.query(`SELECT 1 FROM ${registry.schema}.dataset_eligibility_v1 WHERE dataset_version_id = $1 AND cleared`, [datasetVersionId])).length === 1;
    });
  }, 180_000);

  afterAll(async () => {
    await host?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('model-versions/create starts the mandatory review: PENDING_REGISTRATION until approved, READY after; no bypass', async () => {
    const name = `credit-${randomBytes(3).toString('hex')}`;
    const submitted = await python(['submit', name, `exp-${name}`, datasetVersionId, host.url]);
    expect(submitted).toMatchObject({
      created: name,
      created_get: { description: 'credit scoring', latest: [] },
      pending: { status: 'PENDING_REGISTRATION', version: expect.stringMatching(/^mlflow-/), source: expect.stringMatching(/^runs:\/.+\/model\/model\.pkl$/) },
      evil: { status: 'FAILED_REGISTRATION' },
      pending_read: { status: 'PENDING_REGISTRATION' },
      search_before: [],
      download_pending: { error_code: 'INVALID_PARAMETER_VALUE', message: expect.stringMatching(/only approved versions/) },
      create_again: { error_code: 'RESOURCE_ALREADY_EXISTS' },
      bad_source: { error_code: 'INVALID_PARAMETER_VALUE' },
      unknown_version: { error_code: 'RESOURCE_DOES_NOT_EXIST' },
    });
    const pending = (submitted.pending as Json).version as string;
    const evil = (submitted.evil as Json).version as string;
    const refused = await client.call('registry', 'POST', `/registry/models/${name}/candidates/${evil}/approve`, reviewer, {}).catch((e: { code: string }) => e.code);
    expect(refused).toBe('REGISTRY.REVIEW_NOT_PASSED');
    const ownApproval = await client.call('registry', 'POST', `/registry/models/${name}/candidates/${pending}/approve`, scientist, {}).catch((e: { status: number }) => e.status);
    expect(ownApproval).toBe(403);
    const approved = await client.call<Json>('registry', 'POST', `/registry/models/${name}/candidates/${pending}/approve`, reviewer, { justification: 'reviewed' });
    expect(approved).toMatchObject({ status: 'registered', version: 1, tag: `${name}:1` });

    const registry = host.kernels.find((k) => k.runtime.name === 'registry')!;
    await registry.catchUpReadModels();
    const after = await python(['approved', name, submitted.run_id as string, pending]);
    expect(after).toMatchObject({
      approved: { version: '1', status: 'READY', tags: { 'mgov.tag': `${name}:1`, 'mgov.digest': approved.digest } },
      v1: { version: '1', status: 'READY', run_id: submitted.run_id },
      search: ['1'], search_by_run: ['1'], models: [name], latest: ['1'],
      download_uri: `runs:/${submitted.run_id as string}/model/model.pkl`,
      by_alias: { version: '1', aliases: ['champion'] },
      model_aliases: { champion: '1' },
      alias_on_candidate: { error_code: 'INVALID_PARAMETER_VALUE' },
      alias_gone: { error_code: 'RESOURCE_DOES_NOT_EXIST' },
    });

    // The same registry through mgov: approved versions only, the review queue, a deployment and its history.
    const engineer = await issueApiKey(client, admin, 'eve-engineer', ['ml-engineer']);
    await untilKnownEverywhere(client, [engineer]);
    const as = (holder: KeyHolder) => ({ MGOV_URL: host.url, MGOV_TOKEN: holder.token });
    const listed = await runMgov(['model', 'list', name, '--format', 'json'], as(reviewer));
    expect(JSON.parse(listed.stdout).map((v: Json) => v.tag)).toEqual([`${name}:1`]);
    const queue = await runMgov(['model', 'review', name, '--status', 'all', '--format', 'table'], as(reviewer));
    expect(queue.stdout).toMatch(new RegExp(`${evil}.*in-review.*security:FAIL`));
    const deployed = await runMgov(['model', 'deploy', name, '1', '--env', 'staging', '--format', 'json'], as(engineer));
    expect(deployed.code).toBe(0);
    expect(JSON.parse(deployed.stdout)).toMatchObject({ status: 'rolled_out', version: 1, environment: 'staging' });
    const candidate = await runMgov(['model', 'deploy', name, evil, '--env', 'staging'], as(engineer));
    expect(candidate).toMatchObject({ code: 1, stderr: expect.stringContaining('REGISTRY.CANDIDATE_NOT_DEPLOYABLE') });
    await registry.catchUpReadModels();
    const history = await runMgov(['model', 'history', name, '--format', 'json'], as(reviewer));
    expect(JSON.parse(history.stdout)).toEqual([expect.objectContaining({ version: 1, environment: 'staging', status: 'rolled_out', requested_by: 'eve-engineer' })]);

    // Every refusal above is in the audit trail, about the model.
    const auditor = await issueApiKey(client, admin, 'gus-auditor', ['governance-auditor']);
    await untilKnownEverywhere(client, [auditor]);
    const refusals = await client.eventually('the refusals in the audit trail', async () => {
      const { events } = await client.call<{ events: Array<{ type: string; data: Json }> }>('audit', 'GET', `/audit/events?subject=model:${name}`, auditor);
      const codes = events.filter((e) => e.type === 'RegistryRequestRefused').map((e) => e.data.code);
      return codes.includes('REGISTRY.CANDIDATE_NOT_DEPLOYABLE') ? codes : undefined;
    });
    expect(refusals).toEqual(expect.arrayContaining(['REGISTRY.REVIEW_NOT_PASSED', 'REGISTRY.CANDIDATE_NOT_DEPLOYABLE']));
  }, 240_000);
});
