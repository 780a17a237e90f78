import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, mkdtempSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';

export const SERVICES = ['lineage', 'experiment', 'registry', 'monitoring', 'retraining', 'audit'] as const;
const root = join(__dirname, '../../..');

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export interface ServiceProcess {
  readonly name: string;
  readonly url: string;
  readonly child: ChildProcess;
  readonly logFile: string;
}

/** Starts one service as its own OS process, the way `npm run start:<service>` does. */
export async function startServiceProcess(name: string, env: Record<string, string>, logDir: string): Promise<ServiceProcess> {
  const port = await freePort();
  const logFile = join(logDir, `${name}.log`);
  const log = createWriteStream(logFile);
  const child = spawn(process.execPath, ['-r', './tools/register.js', `services/${name}/src/main.ts`], {
    cwd: root,
    env: { ...process.env, ...env, MGOV_PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.pipe(log);
  child.stderr?.pipe(log);
  return { name, url: `http://127.0.0.1:${port}`, child, logFile };
}

export async function waitForHealth(service: ServiceProcess, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (service.child.exitCode !== null) throw new Error(`${service.name} exited: ${tail(service.logFile)}`);
    const status = await fetch(`${service.url}/health`).then((r) => r.status, () => 0);
    if (status === 200) return;
    if (Date.now() > deadline) throw new Error(`${service.name} not healthy in time: ${tail(service.logFile)}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

export async function stopServiceProcess(service: ServiceProcess): Promise<void> {
  if (service.child.exitCode !== null) return;
  const exited = new Promise((resolve) => service.child.once('exit', resolve));
  service.child.kill('SIGTERM');
  const timer = setTimeout(() => service.child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

export function tail(file: string, lines = 30): string {
  try {
    return readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

/**
 * What every distributed spec starts its processes with: a database of its own on the suite's
 * PostgreSQL, the suite's Kafka, a log directory (objects inside it) and the bootstrap admin.
 */
export async function distributedEnvironment(bootstrapToken: string, prefix: string): Promise<{ env: Record<string, string>; logDir: string }> {
  const databaseUrl = process.env.MGOV_DATABASE_URL as string;
  const database = `${prefix}_${randomBytes(4).toString('hex')}`;
  const admin = new Client({ connectionString: databaseUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${database}`);
  await admin.end();
  const url = new URL(databaseUrl);
  url.pathname = `/${database}`;
  const logDir = mkdtempSync(join(tmpdir(), `${prefix}-`));
  const env = {
    MGOV_DATABASE_URL: url.toString(), MGOV_KAFKA_BROKERS: process.env.MGOV_KAFKA_BROKERS as string, MGOV_MONITORING_WINDOW: '50',
    MGOV_OBJECT_STORE_DIR: join(logDir, 'objects'), MGOV_LOG_LEVEL: 'warn', MGOV_BOOTSTRAP_TOKEN: bootstrapToken,
    MGOV_PSEUDONYMIZATION_KEY: randomBytes(32).toString('hex'),
  };
  return { env, logDir };
}
