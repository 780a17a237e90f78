import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';

const root = join(__dirname, '../../..');

export interface ServiceProcess {
  readonly url: string;
  readonly child: ChildProcess;
  readonly logFile: string;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** The retraining service as its own OS process, the way `npm run start:retraining` starts it. */
export async function startRetrainingProcess(env: Record<string, string>, logFile: string): Promise<ServiceProcess> {
  const port = await freePort();
  const log = createWriteStream(logFile, { flags: 'a' });
  const child = spawn(process.execPath, ['-r', './tools/register.js', 'services/retraining/src/main.ts'], {
    cwd: root, env: { ...process.env, ...env, MGOV_PORT: String(port) }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.pipe(log);
  child.stderr?.pipe(log);
  const service = { url: `http://127.0.0.1:${port}`, child, logFile };
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`retraining exited: ${tail(logFile)}`);
    if ((await fetch(`${service.url}/health`).then((r) => r.status, () => 0)) === 200) return service;
    if (Date.now() > deadline) throw new Error(`retraining not healthy in time: ${tail(logFile)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

export async function stopRetrainingProcess(service: ServiceProcess): Promise<void> {
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
