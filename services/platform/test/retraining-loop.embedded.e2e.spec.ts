import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { issueApiKey, MgovClient, prepareEligibleDataset, runGovernanceFlow, untilKnownEverywhere } from '@mgov/demo-flow';
import type { RunningHost } from '@mgov/http-edge';
import { startEmbeddedPlatform } from '../src/embedded-platform';
import { bootstrapAdmin } from './access.fixture';

/** A seeded normal sample (another seed than the flow's, so the fresh data has other bytes). */
function sampler(seed: number) {
  let state = seed;
  const uniform = () => ((state = (state * 1_103_515_245 + 12_345) % 2 ** 31) + 1) / (2 ** 31 + 1);
  return (mean: number, sd: number) => mean + sd * Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
}

// The same loop as the distributed spec, in the one process `npm start` runs: every service shares one
// embedded database session, so a reactor that read beside its own transaction would freeze them all.
describe('the retraining loop in the embedded runtime: breach → fresh data → approval → run → candidate in review', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'mgov-loop-embedded-'));
  const admin = bootstrapAdmin();
  const saved = { ...process.env };
  let host: RunningHost;

  beforeAll(async () => {
    Object.assign(process.env, {
      MGOV_RETRAINING_COMMAND: `${process.execPath} -r ./tools/register.js deploy/examples/retraining-command/train.ts`,
      MGOV_RETRAINING_TIMEOUT_MS: '60000', MGOV_TOKEN: admin.token,
    });
    host = await startEmbeddedPlatform({ dataDir, port: 0, monitoringWindowSize: 50, bootstrapToken: admin.token });
    // The training command logs its run through the experiment API of this very platform.
    process.env.MGOV_URL = host.url;
    process.chdir(resolve(__dirname, '../../..'));
  }, 120_000);

  afterAll(async () => {
    await host?.stop();
    process.env = saved;
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('sends the retrained model to the mandatory review as a candidate submitted by the approver, and keeps serving requests', async () => {
    const flow = await runGovernanceFlow({ urlOf: () => host.url, adminToken: admin.token, windowSize: 50 });
    const client = new MgovClient(() => host.url);
    const [steward, engineer] = await Promise.all([issueApiKey(client, admin, 'loop.steward', ['data-steward']), issueApiKey(client, admin, 'loop.engineer', ['ml-engineer'])]);
    await untilKnownEverywhere(client, [steward, engineer]);
    const retrainingId = flow.reviewCase.retraining_id!;
    const path = `/retraining/retrainings/${encodeURIComponent(retrainingId)}`;
    expect(flow.reviewCase.retraining_status).toBe('waiting_for_data');

    const suffix = flow.modelName.replace('credit-risk-', '');
    const fresh = await prepareEligibleDataset(client, steward, { sourceId: `crm-export-${suffix}`, datasetName: `loans-${suffix}`, normal: sampler(4242) });
    await client.call('retraining', 'POST', `${path}/approve`, engineer, { justification: 'fresh cleared data, retrain now' });

    const done = await client.eventually('the retraining to succeed', async () => {
      const row = await client.call<{ status: string; dataset_version_id: string; run_id: string | null; last_error: string | null; log_tail: string | null }>('retraining', 'GET', path, engineer);
      if (row.status === 'failed') throw new Error(`retraining failed: ${row.last_error}\n${row.log_tail}`);
      return row.status === 'succeeded' ? row : undefined;
    }, 120_000);
    expect(done.dataset_version_id).toBe(fresh.datasetVersionId);

    const candidate = await client.eventually('the registry to take the retrained model as a candidate', () =>
      client.call<Record<string, unknown>>('registry', 'GET', `/registry/models/${flow.modelName}/candidates/${encodeURIComponent(`retraining-${retrainingId}`)}`, engineer)
        .catch(() => undefined), 60_000);
    expect(JSON.stringify(candidate)).toContain('loop.engineer');
    expect(String(candidate.status)).not.toMatch(/^(approved|registered)$/);
    // Still answering: nothing waits on the embedded database's one session.
    expect(await client.call<unknown[]>('registry', 'GET', '/registry/review-queue', engineer)).toEqual(expect.any(Array));
  }, 300_000);
});
