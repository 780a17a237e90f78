import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { type Caller, issueApiKey, type KeyHolder, MgovClient, prepareEligibleDataset, sampler, untilKnownEverywhere } from '@mgov/demo-flow';
import type { RunningHost } from '@mgov/http-edge';
import { startEmbeddedPlatform } from '../src/embedded-platform';
import { bootstrapAdmin } from './access.fixture';
import { requirePythonClient, runMgov } from './process.fixture';

const MLFLOW_PROBE = 'import mlflow, pandas; print(mlflow.__version__)';
const normal = sampler(7);



const SCRIPT = resolve(__dirname, '../../experiment/test/compat/mlflow_roundtrip.py');



type Json = Record<string, unknown>;

describe('MLflow tracking API with the real mlflow Python client (embedded runtime)', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'mgov-mlflow-'));
  const admin = bootstrapAdmin();
  let host: RunningHost;
  let client: MgovClient;
  let scientist: KeyHolder;
  let auditor: KeyHolder;
  let eligible: { rawVersionId: string; datasetVersionId: string };

  const mlflow = async (path: string, caller: Caller, init: { method?: string; body?: string; contentType?: string } = {}) => {
    const response = await fetch(`${host.url}/api/2.0/mlflow/${path}`, {
      method: init.method ?? 'POST', body: init.body,
      headers: { authorization: `Bearer ${caller.token}`, 'content-type': init.contentType ?? 'application/json' },
    });
    return { status: response.status, body: (await response.json()) as Json };
  };

  beforeAll(async () => {
    requirePythonClient('mlflow', MLFLOW_PROBE);
    host = await startEmbeddedPlatform({ dataDir, port: 0, bootstrapToken: admin.token });
    client = new MgovClient(() => host.url);
    const steward = await issueApiKey(client, admin, 'sam-steward', ['data-steward']);
    scientist = await issueApiKey(client, admin, 'ada-scientist', ['data-scientist']);
    auditor = await issueApiKey(client, admin, 'gus-auditor', ['governance-auditor']);
    await untilKnownEverywhere(client, [steward, scientist, auditor]);
    const suffix = randomBytes(3).toString('hex');
    const { sourceId } = await client.call<{ sourceId: string }>('lineage', 'POST', '/lineage/sources', steward, {
      sourceId: `crm-${suffix}`, name: 'CRM export', kind: 'anonymized-client', license: 'LicenseRef-dpa', owner: 'data-office', personalDataColumns: ['customer_id'],
    });
    eligible = await prepareEligibleDataset(client, steward, { sourceId, datasetName: `loans-${suffix}`, normal });
    await client.eventually('experiment to see the version as eligible', async () =>
      (await client.call<{ eligible: boolean }>('experiment', 'GET', `/experiment/datasets/${eligible.datasetVersionId}/eligibility`, scientist)).eligible);
  }, 180_000);

  afterAll(async () => {
    await host?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('runs the issue\'s script unchanged against MGov and reads every value back; MGov\'s API, CLI and audit trail see the run', async () => {
    const experimentName = `credit-risk-${randomBytes(3).toString('hex')}`;
    const { stdout } = await promisify(execFile)('python3', [SCRIPT, experimentName, eligible.datasetVersionId, eligible.rawVersionId, host.url], {
      timeout: 120_000, env: { ...process.env, MLFLOW_TRACKING_URI: host.url, MLFLOW_TRACKING_TOKEN: scientist.token, GIT_PYTHON_REFRESH: 'quiet' },
    });
    const out = JSON.parse(stdout.trim().split('\n').pop()!) as Json & { run_id: string };
    expect(out).toMatchObject({
      status: 'FINISHED', user_id: 'ada-scientist',
      params: { max_depth: '6', learning_rate: '0.1', optimizer: 'adam', batch_param: 'b' },
      metrics: { accuracy: 0.91, loss: 0.2, nan_metric: 'nan', inf_metric: 'inf', ninf_metric: '-inf', batch_metric: 9 },
      tags: { team: 'credit-risk' },
      inputs: ['loans', 'scratch-eval'],
      history: [[0, 1], [1, 0.5], [2, 1 / 3], [3, 0.25], [4, 0.2]],
      search: [out.run_id],
      artifacts: [['model', true], ['report.json', false]],
    });
    expect(out.refused_input).toMatchObject({ error_code: 'INVALID_PARAMETER_VALUE', message: expect.stringContaining(`dataset version ${eligible.rawVersionId} is not eligible for training`) });
    expect(out.param_changed).toMatchObject({ error_code: 'INVALID_PARAMETER_VALUE', message: expect.stringContaining('Changing param values is not allowed') });
    expect(out.unknown_run).toMatchObject({ error_code: 'RESOURCE_DOES_NOT_EXIST' });

    const modelSha = createHash('sha256').update(Buffer.concat(Array.from({ length: 100 }, () => Buffer.from('\x80\x04not-really-a-model', 'latin1')))).digest('hex');
    const run = await client.call<Json & { mgov: Json }>('experiment', 'GET', `/experiment/runs/${out.run_id}`, auditor);
    expect(run.mgov).toMatchObject({
      dataset_version_ids: [eligible.datasetVersionId], unknown_inputs: [expect.stringMatching(/^scratch-eval@/)], data_unverified: true,
      artifact_digest: `sha256:${modelSha}`, refusals: [expect.objectContaining({ datasetVersionId: eligible.rawVersionId })],
      artifacts: expect.arrayContaining([{ path: 'model/model.pkl', sha256: modelSha, size: 2000 }]),
    });

    const experiment = host.kernels.find((k) => k.runtime.name === 'experiment')!.runtime;
    const events = (await experiment.store.readStream(`run:${out.run_id}`)).map((s) => experiment.codec.decodeEvent(s.data));
    const completed = events.find((e) => e.type === 'RunCompleted')!;
    expect(completed.data).toMatchObject({
      runId: out.run_id, experimentId: out.experiment_id, user: 'ada-scientist', status: 'FINISHED', artifactDigest: `sha256:${modelSha}`,
      params: { max_depth: '6', learning_rate: '0.1', optimizer: 'adam', batch_param: 'b' },
      metrics: expect.objectContaining({ accuracy: 0.91, loss: 0.2, inf_metric: Infinity }),
      datasetVersionIds: [eligible.datasetVersionId], unknownInputs: [expect.stringMatching(/^scratch-eval@/)], dataUnverified: true,
    });
    expect(Number.isNaN((completed.data as { metrics: Record<string, number> }).metrics.nan_metric)).toBe(true);
    expect(events.filter((e) => e.type === 'RunRefused').map((e) => (e.data as { datasetVersionId: string }).datasetVersionId)).toEqual([eligible.rawVersionId]);

    const audited = await client.eventually('the run in the audit trail', async () => {
      const { events: found } = await client.call<{ events: Array<{ type: string }> }>('audit', 'GET', `/audit/events?subject=run:${out.run_id}`, auditor);
      return found.some((e) => e.type === 'RunCompleted') ? found : undefined;
    });
    expect(audited.map((e) => e.type)).toEqual(expect.arrayContaining(['RunStarted', 'RunDataLogged', 'RunInputsLogged', 'ArtifactLogged', 'RunRefused', 'RunCompleted']));

    const env = { MGOV_URL: host.url, MGOV_TOKEN: auditor.token };
    const shown = await runMgov(['run', 'show', out.run_id, '--format', 'json'], env);
    expect(shown.code).toBe(0);
    expect(JSON.parse(shown.stdout)).toMatchObject({ info: { run_id: out.run_id, status: 'FINISHED' }, mgov: { data_unverified: true } });
    const table = await runMgov(['run', 'list', '--experiment', experimentName, '--format', 'table'], env);
    expect(table.code).toBe(0);
    expect(table.stdout).toContain(out.run_id);
    expect(table.stdout).toContain('unverified');
    const experiments = await runMgov(['experiment', 'list', '--format', 'json'], env);
    expect(JSON.parse(experiments.stdout)).toEqual(expect.arrayContaining([expect.objectContaining({ name: experimentName, experiment_id: out.experiment_id })]));
    const missing = await runMgov(['run', 'show', 'no-such-run'], env);
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toContain('EXPERIMENT.RUN_NOT_FOUND');
  }, 240_000);

  it('computes fairness metrics on an evaluation set with the mgov bias library and puts them in the run summary', async () => {
    const { body: created } = await mlflow('experiments/create', scientist, { body: JSON.stringify({ name: `fair-${randomBytes(3).toString('hex')}` }) });
    const { body: started } = await mlflow('runs/create', scientist, { body: JSON.stringify({ experiment_id: created.experiment_id, start_time: 1 }) });
    const runId = (started.run as { info: { run_id: string } }).info.run_id;
    const fairness = await client.call<{ metrics: Record<string, number | null> }>('experiment', 'POST', `/experiment/runs/${runId}/fairness`, scientist, {
      predictions: [1, 1, 0, 0, 1, 0, 1, 0], labels: [1, 0, 0, 1, 1, 0, 1, 1], protectedAttributes: { sex: ['f', 'f', 'f', 'f', 'm', 'm', 'm', 'm'] }, positive: 1,
    });
    // f: selection 2/4, recall 1/2; m: selection 2/4, recall 2/3
    expect(fairness.metrics).toEqual({
      'fairness.sex.demographic_parity_difference': 0, 'fairness.sex.demographic_parity_ratio': 1, 'fairness.sex.equalized_odds_difference': expect.closeTo(0.5, 9),
      'fairness.sex.disparate_impact': 1, 'fairness.sex.recall_difference': expect.closeTo(1 / 6, 9),
    });
    expect((await mlflow('runs/update', scientist, { body: JSON.stringify({ run_id: runId, status: 'FINISHED', end_time: 2 }) })).status).toBe(200);
    const experiment = host.kernels.find((k) => k.runtime.name === 'experiment')!.runtime;
    const completed = (await experiment.store.readStream(`run:${runId}`)).map((s) => experiment.codec.decodeEvent(s.data)).find((e) => e.type === 'RunCompleted')!;
    expect(Object.keys((completed.data as { metrics: object }).metrics).sort()).toEqual(Object.keys(fairness.metrics).sort());
    const { body: searched } = await mlflow('runs/search', auditor, { body: JSON.stringify({ experiment_ids: [created.experiment_id], filter: 'metrics.`fairness.sex.disparate_impact` >= 0.8' }) });
    expect((searched.runs as Array<{ info: { run_id: string } }>).map((r) => r.info.run_id)).toEqual([runId]);
  }, 60_000);

  it('answers bad input with MLflow\'s error codes and statuses, writing nothing', async () => {
    const { body: created } = await mlflow('experiments/create', scientist, { body: JSON.stringify({ name: `bad-${randomBytes(3).toString('hex')}` }) });
    const { body: started } = await mlflow('runs/create', scientist, { body: JSON.stringify({ experiment_id: created.experiment_id }) });
    const runId = (started.run as { info: { run_id: string } }).info.run_id;
    const cases: Array<[string, { method?: string; body?: string }, number, string]> = [
      ['experiments/get?experiment_id=424242', { method: 'GET' }, 404, 'RESOURCE_DOES_NOT_EXIST'],
      ['experiments/get-by-name?experiment_name=nope-nope', { method: 'GET' }, 404, 'RESOURCE_DOES_NOT_EXIST'],
      ['experiments/create', { body: JSON.stringify({ name: (created as { experiment_id: string }) && undefined }) }, 400, 'INVALID_PARAMETER_VALUE'],
      ['runs/create', { body: JSON.stringify({ experiment_id: '424242' }) }, 404, 'RESOURCE_DOES_NOT_EXIST'],
      ['runs/log-metric', { body: JSON.stringify({ run_id: 'f'.repeat(32), key: 'a', value: 1, timestamp: 1 }) }, 404, 'RESOURCE_DOES_NOT_EXIST'],
      ['runs/log-metric', { body: '{"run_id": "' + runId + '", "key": "a", "value": ' }, 400, 'INVALID_PARAMETER_VALUE'],
      ['runs/log-metric', { body: JSON.stringify({ run_id: runId, key: 'a', value: 'high', timestamp: 1 }) }, 400, 'INVALID_PARAMETER_VALUE'],
      ['runs/log-metric', { body: JSON.stringify({ run_id: runId, key: 'a', value: 1, timestamp: 'yesterday' }) }, 400, 'INVALID_PARAMETER_VALUE'],
      ['runs/log-batch', { body: JSON.stringify({ run_id: runId, metrics: Array.from({ length: 1001 }, (_, i) => ({ key: `m${i}`, value: i, timestamp: 1 })) }) }, 400, 'INVALID_PARAMETER_VALUE'],
      ['runs/log-batch', { body: JSON.stringify({ run_id: runId, params: Array.from({ length: 101 }, (_, i) => ({ key: `p${i}`, value: 'v' })) }) }, 400, 'INVALID_PARAMETER_VALUE'],
      ['runs/log-batch', { body: JSON.stringify({ run_id: runId, metrics: [{ key: 'ok', value: 1, timestamp: 1 }], tags: 'not-a-list' }) }, 400, 'INVALID_PARAMETER_VALUE'],
      ['runs/search', { body: JSON.stringify({ experiment_ids: [created.experiment_id], filter: "metrics.a = 'x'" }) }, 400, 'INVALID_PARAMETER_VALUE'],
      ['runs/update', { body: JSON.stringify({ run_id: runId, status: 'EXPLODED' }) }, 400, 'INVALID_PARAMETER_VALUE'],
    ];
    for (const [path, init, status, code] of cases) {
      const answer = await mlflow(path, scientist, init);
      expect({ path, status: answer.status, code: answer.body.error_code }).toEqual({ path, status, code });
      expect(typeof answer.body.message).toBe('string');
    }
    const { body: duplicate, status } = await mlflow('experiments/create', scientist, { body: JSON.stringify({ name: (await mlflow(`experiments/get?experiment_id=${created.experiment_id}`, scientist, { method: 'GET' })).body.experiment && `${((await mlflow(`experiments/get?experiment_id=${created.experiment_id}`, scientist, { method: 'GET' })).body.experiment as { name: string }).name}` }) });
    expect({ status, code: duplicate.error_code }).toEqual({ status: 400, code: 'RESOURCE_ALREADY_EXISTS' });
    expect((await mlflow('runs/log-parameter', auditor, { body: JSON.stringify({ run_id: runId, key: 'k', value: 'v' }) })).body.error_code).toBe('PERMISSION_DENIED');
    const { body: after } = await mlflow(`runs/get?run_id=${runId}`, scientist, { method: 'GET' });
    expect((after.run as { data: object }).data).toEqual({ metrics: [], params: [], tags: expect.any(Array) });
    expect((await mlflow(`metrics/get-history?run_id=${runId}&metric_key=m0`, scientist, { method: 'GET' })).body).toEqual({ metrics: [] });
    expect(((after.run as { data: { tags: Array<{ key: string }> } }).data.tags).map((t) => t.key)).toEqual(['mlflow.runName']);
  }, 60_000);
});
