import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { MgovClient, runGovernanceFlow, runRetrainingLoop } from '@mgov/demo-flow';
import type { RunningHost } from '@mgov/http-edge';
import { startEmbeddedPlatform } from '../src/embedded-platform';
import { bootstrapAdmin } from './access.fixture';
import { expectRetrainedCandidate } from './retraining.expectations';

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
    expectRetrainedCandidate(flow, await runRetrainingLoop(client, admin, flow));
    // Still answering: nothing waits on the embedded database's one session.
    expect(await client.call<unknown[]>('registry', 'GET', '/registry/review-queue', admin)).toEqual(expect.any(Array));
  }, 300_000);
});
