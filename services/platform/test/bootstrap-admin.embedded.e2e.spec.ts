import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseApiKey } from '@mgov/auth';
import { issueApiKey, MgovClient } from '@mgov/demo-flow';
import { bootstrapAdmin } from './access.fixture';
import { type ServiceProcess, startServiceProcess, stopServiceProcess, waitForHealth } from './service-processes';

const GENERATED = /mgov_bootstrap_[A-Za-z0-9_-]{43}/g;

// `npm start` as a user runs it: the bootstrap admin key is shown once, never silently absent, never logged.
describe('the bootstrap admin of `npm start`', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'mgov-bootstrap-'));
  const logs: string[] = [];
  let running: ServiceProcess | undefined;

  const start = async (bootstrapToken = '') => {
    const logDir = mkdtempSync(join(tmpdir(), 'mgov-bootstrap-log-'));
    running = await startServiceProcess('platform', { MGOV_DATA_DIR: dataDir, MGOV_BOOTSTRAP_TOKEN: bootstrapToken, MGOV_LOG_LEVEL: 'debug' }, logDir);
    return running;
  };
  const stop = async () => {
    await stopServiceProcess(running!);
    logs.push(readFileSync(running!.logFile, 'utf8'));
    running = undefined;
  };
  const whoami = async (url: string, token: string) => {
    const response = await fetch(`${url}/access/whoami`, { headers: { authorization: `Bearer ${token}` } });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };

  afterAll(async () => {
    if (running) await stopServiceProcess(running);
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('generates an admin key at first start, shows it once, keeps it across restarts, and replaces it with MGOV_BOOTSTRAP_TOKEN', async () => {
    const first = await start();
    await waitForHealth(first);
    const shown = readFileSync(first.logFile, 'utf8').match(GENERATED) ?? [];
    expect(shown).toHaveLength(1);
    const generated = String(shown[0]);
    expect(await whoami(first.url, generated)).toMatchObject({ status: 200, body: { id: 'bootstrap-admin', roles: ['admin'], keyId: 'bootstrap' } });
    const client = new MgovClient(() => first.url);
    const engineer = await issueApiKey(client, { name: 'admin', token: generated }, 'erin.engineer', ['ml-engineer']);
    expect((await fetch(`${first.url}/lineage/sources`, { headers: { authorization: `Bearer ${engineer.token}` } })).status).toBe(200);
    await client.call('audit', 'POST', `/access/api-keys/${engineer.keyId}/revoke`, { name: 'admin', token: generated }, {});
    await stop();

    const second = await start();
    await waitForHealth(second);
    expect(readFileSync(second.logFile, 'utf8')).not.toMatch(GENERATED);
    expect((await whoami(second.url, generated)).status).toBe(200);
    expect(await whoami(second.url, engineer.token)).toMatchObject({ status: 401, body: { error: { code: 'AUTH.API_KEY_REVOKED' } } });
    await stop();

    const configured = bootstrapAdmin();
    const third = await start(configured.token);
    await waitForHealth(third);
    expect(await whoami(third.url, configured.token)).toMatchObject({ status: 200, body: { roles: ['admin'] } });
    expect(await whoami(third.url, generated)).toMatchObject({ status: 401, body: { error: { code: 'AUTH.API_KEY_REVOKED' } } });
    await stop();

    const all = logs.join('\n');
    expect(all.match(GENERATED)).toEqual([generated]);
    for (const token of [engineer.token, configured.token]) expect(all).not.toContain(parseApiKey(token)!.secret);
  }, 180_000);

  it('refuses to start on a malformed MGOV_BOOTSTRAP_TOKEN, without echoing it', async () => {
    const broken = await start('correct-horse-battery-staple-but-not-a-key');
    const exited = await new Promise<number | null>((resolve) => broken.child.once('close', resolve));
    expect(exited).not.toBe(0);
    await new Promise((resolve) => setTimeout(resolve, 200)); // let the log file catch up with the closed pipes
    const log = readFileSync(broken.logFile, 'utf8');
    expect(log).toContain('MGOV_BOOTSTRAP_TOKEN must be an MGov API key');
    expect(log).not.toContain('correct-horse-battery-staple');
    running = undefined;
  }, 60_000);
});
