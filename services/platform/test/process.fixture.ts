import { execFile, spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';

const root = resolve(__dirname, '../../..');

/** `mgov …args` as a user runs it: a child process that knows only the given MGOV_* variables. */
export function runMgov(args: readonly string[], env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('MGOV_')));
  return new Promise((done) => {
    execFile(process.execPath, [join(root, 'tools/cli/mgov.js'), ...args], { cwd: root, env: { ...clean, ...env } }, (error, stdout, stderr) =>
      done({ code: error ? Number(error.code) : 0, stdout, stderr }));
  });
}

/**
 * The real Python client must be there: a compatibility test that skips itself proves nothing.
 * `probe` is Python that imports the client and prints its version.
 */
export function requirePythonClient(name: string, probe: string): void {
  const found = spawnSync('python3', ['-c', probe], { encoding: 'utf8' });
  if (found.error || found.status !== 0) {
    throw new Error(`python3 with ${name} is needed for this spec (${found.error?.message ?? found.stderr.trim().split('\n').pop()}); `
      + 'run it through tools/infra/run-with-infra.js (npm test does), which installs .ci/requirements.txt into a cached venv and puts it on PATH');
  }
}
