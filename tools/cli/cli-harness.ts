import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// For the CLI's tests: `mgov` as a user runs it, a child process with its own environment.
const root = join(__dirname, '../..');

export interface Outcome {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `mgov …args` with the caller's MGOV_* variables removed and `env` added. */
export function runMgov(args: readonly string[], env: Record<string, string> = {}): Promise<Outcome> {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('MGOV_')));
  return new Promise((resolve) => {
    execFile(process.execPath, [join(root, 'tools/cli/mgov.js'), ...args], { cwd: root, env: { ...clean, ...env } }, (error, stdout, stderr) => {
      resolve({ code: error ? Number(error.code) : 0, stdout, stderr });
    });
  });
}

/** A fresh temporary directory and a function that writes a named file in it, returning its path. */
export function fixtureFiles(): { readonly dir: string; readonly file: (name: string, content: string | Buffer) => string } {
  const dir = mkdtempSync(join(tmpdir(), 'mgov-cli-'));
  return {
    dir,
    file: (name, content) => {
      const path = join(dir, name);
      writeFileSync(path, content);
      return path;
    },
  };
}
