import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';

// tools/register.js as every `node -r ./tools/register.js …` start uses it: TypeScript compiled once,
// kept in the compiled directory, run from there while the source is unchanged, mapped back to the source.
const root = resolve(__dirname, '..');
const register = join(root, 'tools', 'register.js');
// Sources inside the workspace (only those are kept compiled), in a directory git ignores.
// (A fresh clone has no dist/ yet.)
mkdirSync(join(root, 'dist'), { recursive: true });
const sources = mkdtempSync(join(root, 'dist', 'register-spec-'));
const compiledDir = mkdtempSync(join(tmpdir(), 'mgov-compiled-'));

afterAll(() => {
  rmSync(sources, { recursive: true, force: true });
  rmSync(compiledDir, { recursive: true, force: true });
});

/** Prints what it was compiled from, whether swc was loaded in this process, and a stack frame of line 4. */
const fixture = (label: string) => `interface Shown { readonly label: string }
const shown: Shown = { label: '${label}' };
const swcLoaded = Object.keys(require.cache).some((path) => path.includes('@swc'));
const frame = new Error('here').stack!.split('\\n')[1]!.trim();
console.log(JSON.stringify({ label: shown.label, swcLoaded, frame }));
`;

function run(file: string, env: Record<string, string> = {}): { status: number | null; out: { label: string; swcLoaded: boolean; frame: string }; stderr: string } {
  const child = spawnSync(process.execPath, ['-r', register, file], { encoding: 'utf8', env: { ...process.env, MGOV_COMPILED_DIR: compiledDir, ...env } });
  return { status: child.status, out: child.status === 0 ? JSON.parse(child.stdout) : undefined, stderr: child.stderr };
}

const compiledFiles = () => readdirSync(compiledDir, { recursive: true }).map(String).filter((f) => f.endsWith('.ts.js'));

describe('tools/register.js', () => {
  const file = join(sources, 'shown.ts');

  it('given a source never compiled, when it runs, then swc compiles it and the result is kept for the next start', () => {
    writeFileSync(file, fixture('first'));
    const first = run(file);
    expect(first.out).toMatchObject({ label: 'first', swcLoaded: true });
    expect(compiledFiles()).toEqual([`${relative(root, file)}.js`]);

    const again = run(file);
    expect(again.out).toMatchObject({ label: 'first', swcLoaded: false });
  });

  it('given a compiled source, when the source changes, then the change runs (compiled again), never the stale code', () => {
    writeFileSync(file, fixture('first'));
    run(file);
    writeFileSync(file, fixture('second'));
    expect(run(file).out).toMatchObject({ label: 'second', swcLoaded: true });
    expect(run(file).out).toMatchObject({ label: 'second', swcLoaded: false });
  });

  it('given a compiled source, when the compiler settings change, then it is compiled again under them', () => {
    writeFileSync(file, fixture('settings'));
    run(file);
    // The settings are read from the workspace: a copy of it with another tsconfig stands in for a changed one.
    const tsconfig = join(root, 'tsconfig.base.json');
    const original = readFileSync(tsconfig, 'utf8');
    try {
      writeFileSync(tsconfig, original.replace('"target": "ES2022"', '"target": "ES2021"'));
      expect(run(file).out).toMatchObject({ label: 'settings', swcLoaded: true });
    } finally {
      writeFileSync(tsconfig, original);
    }
    expect(run(file).out).toMatchObject({ label: 'settings', swcLoaded: true });
    expect(run(file).out).toMatchObject({ label: 'settings', swcLoaded: false });
  });

  it('stack frames name the TypeScript source, at its own line and column', () => {
    writeFileSync(file, fixture('frames'));
    run(file);
    // Line 4, column 15: `new Error` in the source (the compiled code has other lines: the interface is gone).
    expect(run(file).out.frame).toBe(`at Object.<anonymous> (${file}:4:15)`);
  });

  it('given a compiled directory it cannot write (a read-only image), when a source runs, then it is compiled in memory and still mapped', () => {
    const other = join(sources, 'read-only.ts');
    writeFileSync(other, fixture('in memory'));
    // A file where the directory should be: unwritable even for root, which a read-only mode is not.
    const notADirectory = join(compiledDir, 'not-a-directory');
    writeFileSync(notADirectory, '');
    const result = run(other, { MGOV_COMPILED_DIR: notADirectory });
    expect(result.status).toBe(0);
    expect(result.out).toMatchObject({ label: 'in memory', swcLoaded: true, frame: `at Object.<anonymous> (${other}:4:15)` });
    expect(compiledFiles().some((f) => f.includes('read-only'))).toBe(false);
  });

  it('a source outside the workspace runs too, compiled in memory and never written anywhere', () => {
    const outside = mkdtempSync(join(tmpdir(), 'mgov-outside-'));
    try {
      const source = join(outside, 'outside.ts');
      writeFileSync(source, fixture('outside'));
      expect(run(source).out).toMatchObject({ label: 'outside', swcLoaded: true, frame: `at Object.<anonymous> (${source}:4:15)` });
      expect(readdirSync(outside)).toEqual(['outside.ts']);
      expect(compiledFiles().some((f) => f.includes('outside'))).toBe(false);
    } finally {
      rmSync(outside, { recursive: true, force: true });
    }
  });

  it('tools/build.js --check fails while a source has no current build, and passes once build.js has run', () => {
    const build = (...args: string[]) => spawnSync(process.execPath, [join(root, 'tools', 'build.js'), ...args], { encoding: 'utf8', env: { ...process.env, MGOV_COMPILED_DIR: compiledDir } });
    mkdirSync(join(compiledDir, 'stale'), { recursive: true });
    const before = build('--check');
    expect(before.status).toBe(1);
    expect(before.stderr).toMatch(/not compiled: libs\/.+\.ts/);
    expect(build().status).toBe(0);
    const after = build('--check');
    expect(after.status).toBe(0);
    expect(after.stderr).toMatch(/^(\d+) of \1 sources compiled and current/m);
  });
});
