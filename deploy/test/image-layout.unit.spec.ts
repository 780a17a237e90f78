import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

// No Docker engine runs on the build machines: the image's file layout is rebuilt by hand from the
// Dockerfile's COPY lines (node_modules linked, not installed), its RUN steps other than npm run in
// it, and its entry point's loader then loads every service.
const root = join(__dirname, '../..');
const dockerfile = readFileSync(join(root, 'deploy/Dockerfile'), 'utf8');
const instructions = dockerfile.split('\n').filter((line) => !line.startsWith('#') && line.trim() !== '');

function layImageOut(into: string): void {
  for (const line of instructions.filter((l) => l.startsWith('COPY '))) {
    const [, ...paths] = line.split(/\s+/);
    const destination = paths.pop()!;
    for (const source of paths) {
      if (source.startsWith('package')) continue;
      const target = destination.endsWith('/') ? join(into, destination, source.split('/').pop()!) : join(into, destination === './' ? source : destination);
      mkdirSync(dirname(target), { recursive: true });
      cpSync(join(root, source), target, { recursive: true });
    }
  }
  symlinkSync(join(root, 'node_modules'), join(into, 'node_modules'));
}

/** The environment without a compiled directory set elsewhere: the image's own is used. */
const env = () => {
  const rest = { ...process.env };
  delete rest.MGOV_COMPILED_DIR;
  return rest;
};

describe('the service image (deploy/Dockerfile)', () => {
  const image = mkdtempSync(join(tmpdir(), 'mgov-image-'));
  afterAll(() => rmSync(image, { recursive: true, force: true }));

  it('compiles its TypeScript while it is built, so a service starts without loading a compiler', () => {
    layImageOut(image);
    for (const line of instructions.filter((l) => l.startsWith('RUN ') && !l.includes('npm '))) {
      const step = spawnSync('sh', ['-c', line.slice('RUN '.length)], { cwd: image, encoding: 'utf8', env: env() });
      expect({ line, status: step.status, stderr: step.status === 0 ? '' : step.stderr }).toEqual({ line, status: 0, stderr: '' });
    }
    const compiled = () => readdirSync(join(image, 'dist/compiled'), { recursive: true }).length;
    const before = compiled();
    expect(before).toBeGreaterThan(100);

    // The entry point's loader (CMD: node -r ./tools/register.js services/${SERVICE}/src/main.ts), loading every service.
    expect(instructions.at(-1)).toContain('-r ./tools/register.js services/${SERVICE}/src/main.ts');
    const load = spawnSync(process.execPath, ['-r', './tools/register.js', '-e', `
      const { allServices } = require('./services/platform/src/all-services.ts');
      const swc = Object.keys(require.cache).filter((path) => path.includes('@swc') || path.includes('/typescript/'));
      console.log(JSON.stringify({ services: allServices.length, swc }));`], { cwd: image, encoding: 'utf8', env: env() });
    expect(load.stderr).toBe('');
    expect(JSON.parse(load.stdout)).toEqual({ services: 6, swc: [] });
    expect(compiled()).toBe(before);
  });
});
