// Experiment tracking throughput: the same MLflow client workload against MGov and against a real
// `mlflow server` (its default SQLite backend) started on this machine in the same run. Per run:
// runs/create, one log-batch of params, metrics × steps points in log-batch calls of 1000 (MLflow's
// limit), runs/update FINISHED. One Node HTTP driver sends byte-identical requests to both, after an
// untimed warm-up of one run per connection on each.
// Prints metric points/s for both and the ratio (target >= 2). MGov is measured as `npm start` runs it
// (all six services in one process on the embedded PGlite, audit ledger and every consumer included)
// and, when MGOV_DATABASE_URL is set (npm run bench:tracking starts PostgreSQL), as the experiment
// service alone on PostgreSQL, the way the distributed runtime deploys it (PostgreSQL-backed bus).
// Then a training loop's habit: one run logging one metric per call (runs/log-metric) CALLS times
// (default 2000); prints the calls/s of the first and the last 10 % on each server: a run's cost
// per call must not grow with its length.
// Run: npm run bench:tracking [-- --runs N --concurrency C --calls K]   (defaults: 100 runs × 10 params × 50 metrics × 100 steps, concurrency 4)
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SignJWT } from 'jose';
import { formatApiKey } from '@mgov/auth';
import { issueApiKey, MgovClient } from '@mgov/demo-flow';
import { postgresDatabase } from '@mgov/event-store';
import { hostServices } from '@mgov/http-edge';
import { embeddedBus } from '@mgov/messaging';
import { experimentDefinition } from '../services/experiment/src/experiment.definition';
import { startEmbeddedPlatform } from '../services/platform/src/embedded-platform';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const RUNS = arg('runs', 100);
const PARAMS = arg('params', 10);
const METRICS = arg('metrics', 50);
const STEPS = arg('steps', 100);
const CONCURRENCY = arg('concurrency', 4);
const CALLS = arg('calls', 2000);
const TARGET = 2;

const freePort = () => new Promise<number>((done) => {
  const server = createServer().listen(0, '127.0.0.1', () => {
    const { port } = server.address() as { port: number };
    server.close(() => done(port));
  });
});

/** The workload as request bodies, built once, so both servers get exactly the same bytes. */
function batches(): string[][] {
  const t0 = 1_750_000_000_000;
  const points = [];
  for (let step = 0; step < STEPS; step++) for (let m = 0; m < METRICS; m++) points.push({ key: `metric_${m}`, value: Math.sin(m + step), timestamp: t0 + step, step });
  const chunks: string[] = [];
  for (let i = 0; i < points.length; i += 1000) chunks.push(JSON.stringify({ metrics: points.slice(i, i + 1000) }));
  const params = JSON.stringify({ params: Array.from({ length: PARAMS }, (_, i) => ({ key: `param_${i}`, value: String(i / 10) })) });
  return [[params], chunks];
}

async function drive(base: string, token: string | null, label: string): Promise<{ seconds: number; points: number }> {
  const headers = { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) };
  let reconnects = 0;
  // A connection the server closed or reset (keep-alive timeout, worker restart) is retried on a new one (counted and printed).
  const send = async (path: string, body: string): Promise<Response> => {
    for (let attempt = 1; ; attempt++) {
      try {
        return await fetch(`${base}/api/2.0/mlflow/${path}`, { method: 'POST', headers, body });
      } catch (error) {
        if (attempt >= 3 || !['UND_ERR_SOCKET', 'ECONNRESET', 'EPIPE'].includes((error as { cause?: { code?: string } }).cause?.code ?? '')) throw error;
        reconnects += 1;
      }
    }
  };
  const call = async (path: string, body: string) => {
    const response = await send(path, body);
    const text = await response.text();
    if (!response.ok) throw new Error(`${label} ${path}: ${response.status} ${text.slice(0, 300)}`);
    return JSON.parse(text) as Record<string, unknown>;
  };
  const { experiment_id } = await call('experiments/create', JSON.stringify({ name: `bench-${randomBytes(4).toString('hex')}` }));
  const [[params], chunks] = batches();
  const withRun = (runId: string, body: string) => `{"run_id":"${runId}",${body.slice(1)}`;
  const oneRun = async () => {
    const { run } = await call('runs/create', JSON.stringify({ experiment_id, start_time: 1_750_000_000_000 }));
    const runId = (run as { info: { run_id: string } }).info.run_id;
    await call('runs/log-batch', withRun(runId, params));
    for (const chunk of chunks) await call('runs/log-batch', withRun(runId, chunk));
    await call('runs/update', JSON.stringify({ run_id: runId, status: 'FINISHED', end_time: 1_750_000_001_000 }));
  };
  // Untimed warm-up (both servers load code and open connections on their first requests).
  await Promise.all(Array.from({ length: CONCURRENCY }, oneRun));
  let next = 0;
  const started = process.hrtime.bigint();
  await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
    while (next < RUNS) {
      next += 1;
      await oneRun();
    }
  }));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (reconnects > 0) console.log(`${label}: ${reconnects} request(s) resent after the server closed or reset a connection`);
  return { seconds, points: RUNS * METRICS * STEPS };
}

/** One run, CALLS single-metric calls: calls/s over the first and the last tenth. */
async function perCall(base: string, token: string | null, label: string): Promise<{ first: number; last: number }> {
  const headers = { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) };
  const call = async (path: string, body: unknown) => {
    const response = await fetch(`${base}/api/2.0/mlflow/${path}`, { method: 'POST', headers, body: JSON.stringify(body) });
    const text = await response.text();
    if (!response.ok) throw new Error(`${label} ${path}: ${response.status} ${text.slice(0, 300)}`);
    return JSON.parse(text) as Record<string, unknown>;
  };
  const { experiment_id } = await call('experiments/create', { name: `bench-calls-${randomBytes(4).toString('hex')}` });
  const { run } = await call('runs/create', { experiment_id, start_time: 1_750_000_000_000 });
  const run_id = (run as { info: { run_id: string } }).info.run_id;
  const tenth = Math.max(1, Math.floor(CALLS / 10));
  const rates: number[] = [];
  let started = process.hrtime.bigint();
  for (let step = 0; step < CALLS; step += 1) {
    if (step === CALLS - tenth) started = process.hrtime.bigint();
    await call('runs/log-metric', { run_id, key: 'loss', value: 1 / (step + 1), timestamp: 1_750_000_000_000 + step, step });
    if (step === tenth - 1 || step === CALLS - 1) {
      rates.push(tenth / (Number(process.hrtime.bigint() - started) / 1e9));
    }
  }
  console.log(`${label}: one metric per call, ${CALLS} calls on one run: first ${tenth} at ${rates[0]!.toFixed(0)} calls/s, last ${tenth} at ${rates[1]!.toFixed(0)} calls/s (last/first ${(rates[1]! / rates[0]!).toFixed(2)})`);
  return { first: rates[0]!, last: rates[1]! };
}

async function startMlflow(dir: string): Promise<{ url: string; stop: () => void }> {
  const port = await freePort();
  const probe = spawnSync('mlflow', ['--version'], { encoding: 'utf8' });
  if (probe.status !== 0) throw new Error('`mlflow` is not on PATH: pip install -r .ci/requirements.txt into ~/.cache/mgov/ci-venv and put its bin first on PATH');
  const child = spawn('mlflow', ['server', '--host', '127.0.0.1', '--port', String(port), '--backend-store-uri', `sqlite:///${join(dir, 'mlflow.db')}`,
    '--default-artifact-root', join(dir, 'artifacts')], { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  child.stderr.on('data', (chunk) => { log = (log + String(chunk)).slice(-4000); });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 240; i++) {
    if (child.exitCode !== null) throw new Error(`mlflow server exited: ${log}`);
    if (await fetch(`${url}/health`).then((r) => r.ok, () => false)) return { url, stop: () => child.kill('SIGTERM') };
    await new Promise((r) => setTimeout(r, 500));
  }
  child.kill('SIGTERM');
  throw new Error(`mlflow server did not become healthy: ${log}`);
}

/** The experiment service alone on PostgreSQL (its own schema, the PostgreSQL-backed bus), bearer JWTs. */
async function startExperimentOnPostgres(url: string, dir: string) {
  const secret = randomBytes(32).toString('hex');
  const db = await postgresDatabase(url);
  const schema = `bench_tracking_${randomBytes(3).toString('hex')}`;
  const host = await hostServices({
    title: 'bench-tracking', definitions: [experimentDefinition], db, bus: embeddedBus(db, { schema: `${schema}_bus` }), port: 0, host: '127.0.0.1',
    jwt: { secret }, settings: { objectStoreDir: join(dir, 'pg-objects'), monitoringWindowSize: 50 },
  });
  const token = await new SignJWT({ roles: ['data-scientist'] }).setProtectedHeader({ alg: 'HS256' }).setSubject('bench').setExpirationTime('2h').sign(Buffer.from(secret));
  return { url: host.url, token, stop: () => host.stop() };
}

async function main() {
  console.log(`workload: ${RUNS} runs × ${PARAMS} params × ${METRICS} metrics × ${STEPS} steps = ${RUNS * METRICS * STEPS} metric points via log-batch (1000 per call), concurrency ${CONCURRENCY}`);
  const dir = mkdtempSync(join(tmpdir(), 'mgov-tracking-bench-'));
  const admin = formatApiKey({ keyId: `bench${randomBytes(4).toString('hex')}`, secret: randomBytes(32).toString('base64url') });
  const rate = (r: { seconds: number; points: number }) => r.points / r.seconds;
  const report = (label: string, r: { seconds: number; points: number }) => console.log(`${label}: ${r.points} points in ${r.seconds.toFixed(2)} s = ${rate(r).toFixed(0)} points/s`);
  let mlflow: { url: string; stop: () => void } | undefined;
  try {
    mlflow = await startMlflow(dir);
    const theirs = await drive(mlflow.url, null, 'mlflow');
    report('mlflow server (sqlite)', theirs);
    await perCall(mlflow.url, null, 'mlflow server (sqlite)');
    mlflow.stop();
    mlflow = undefined;
    const host = await startEmbeddedPlatform({ dataDir: join(dir, 'mgov'), port: 0, bootstrapToken: admin });
    try {
      const scientist = await issueApiKey(new MgovClient(() => host.url), { name: 'admin', token: admin }, 'bench-scientist', ['data-scientist']);
      const ours = await drive(host.url, scientist.token, 'mgov');
      report('MGov embedded (npm start: six services, PGlite)', ours);
      const ratio = rate(ours) / rate(theirs);
      console.log(`ratio MGov embedded / MLflow: ${ratio.toFixed(2)} (target >= ${TARGET}) ${ratio >= TARGET ? 'OK' : 'BELOW TARGET'}`);
      await perCall(host.url, scientist.token, 'MGov embedded');
    } finally {
      await host.stop();
    }
    const url = process.env.MGOV_DATABASE_URL;
    if (url) {
      const service = await startExperimentOnPostgres(url, dir);
      try {
        const ours = await drive(service.url, service.token, 'mgov-postgres');
        report('MGov experiment service on PostgreSQL', ours);
        const ratio = rate(ours) / rate(theirs);
        console.log(`ratio MGov on PostgreSQL / MLflow: ${ratio.toFixed(2)} (target >= ${TARGET}) ${ratio >= TARGET ? 'OK' : 'BELOW TARGET'}`);
        await perCall(service.url, service.token, 'MGov experiment service on PostgreSQL');
      } finally {
        await service.stop();
      }
    }
  } finally {
    mlflow?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().then(() => process.exit(0), (error: unknown) => {
  console.error(error);
  process.exit(1);
});
