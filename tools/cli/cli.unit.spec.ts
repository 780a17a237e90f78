import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { fixtureFiles, runMgov } from './cli-harness';
import { closedUrl, StubServer } from './stub-server';

// The CLI as a user runs it: a child process against a stub MGov that records what it was sent.
const stub = new StubServer();
const { dir, file } = fixtureFiles();
const mgov = (args: readonly string[], env: Record<string, string> = {}) => runMgov(args, { MGOV_URL: stub.url, ...env });

beforeAll(() => stub.start());
afterAll(async () => {
  await stub.stop();
  rmSync(dir, { recursive: true, force: true });
});
beforeEach(() => stub.reset());

describe('mgov usage', () => {
  it('--help exits 0 and lists every command group', async () => {
    const { code, stdout } = await mgov(['--help']);
    expect(code).toBe(0);
    for (const command of ['health', 'source', 'dataset', 'run', 'model', 'monitoring', 'cases', 'audit', 'auth', 'bias']) expect(stdout).toMatch(new RegExp(`^  ${command}\\b`, 'm'));
  });

  it('stops quietly when its reader closes the pipe early (mgov … | head)', async () => {
    const child = spawn(process.execPath, [join(__dirname, 'mgov.js'), '--help'], { stdio: ['ignore', 'pipe', 'pipe'] });
    // The reader goes away before reading anything: every write of the help meets a closed pipe.
    child.stdout.destroy();
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
  });

  it('--help works on a nested command', async () => {
    const { code, stdout } = await mgov(['dataset', 'register', '--help']);
    expect(code).toBe(0);
    expect(stdout).toContain('--file <path>');
  });

  it('an unknown command exits 2', async () => {
    const { code, stderr } = await mgov(['frobnicate']);
    expect(code).toBe(2);
    expect(stderr).toContain("unknown command 'frobnicate'");
  });

  it('a bad option value exits 2 before any request', async () => {
    const { code, stderr } = await mgov(['run', 'complete', 'run-1', '--metric', 'accuracy=high']);
    expect(code).toBe(2);
    expect(stderr).toContain('the value of accuracy must be a number');
    expect(stub.requests).toEqual([]);
  });
});

describe('mgov health', () => {
  const health = { status: 'ok', services: ['lineage', 'experiment', 'registry', 'monitoring', 'retraining', 'audit'] };

  it('prints the raw response as json', async () => {
    stub.on('GET /health', health);
    const { code, stdout } = await mgov(['health', '--format', 'json']);
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual(health);
    expect(stub.requests.map((r) => `${r.method} ${r.path}`)).toEqual(['GET /health']);
  });

  it('defaults to json when stdout is not a terminal', async () => {
    stub.on('GET /health', health);
    expect(JSON.parse((await mgov(['health'])).stdout)).toEqual(health);
  });

  it('prints a table, with the format given before or after the command', async () => {
    stub.on('GET /health', health);
    for (const args of [['health', '--format', 'table'], ['--format', 'table', 'health']]) {
      const { code, stdout } = await mgov(args);
      expect(code).toBe(0);
      expect(stdout).toMatch(/│ status\s+│ ok\s+│/);
      expect(stdout).toContain('lineage, experiment, registry');
    }
  });

  it('exits 1 while the platform is still starting', async () => {
    stub.on('GET /health', { status: 'starting', services: [] }, 503);
    const { code, stderr } = await mgov(['health']);
    expect(code).toBe(1);
    expect(stderr).toContain('error HEALTH.STARTING: MGov is starting');
  });
});

describe('errors', () => {
  it('an API error exits 1 with `error CODE: message`', async () => {
    stub.on('GET /registry/models/credit/versions/9', { error: { code: 'REGISTRY.VERSION_NOT_FOUND', message: 'credit:9 is not in the registry (candidates are not)' } }, 404);
    const { code, stdout, stderr } = await mgov(['model', 'get', 'credit', '9']);
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toBe('error REGISTRY.VERSION_NOT_FOUND: credit:9 is not in the registry (candidates are not)\n');
  });

  it('a server that is down exits 4 and says how to start it', async () => {
    const url = await closedUrl();
    const { code, stderr } = await mgov(['health', '--url', url]);
    expect(code).toBe(4);
    expect(stderr).toContain(`cannot reach MGov at ${url}: start it with \`npm start\` or pass --url`);
  });
});

describe('mgov dataset register', () => {
  it('sends the rows of a JSON Lines file', async () => {
    stub.on('POST /lineage/dataset-versions', { datasetVersionId: 'f'.repeat(64), created: true }, 201);
    const rows = file('loans.jsonl', '{"income":51.2,"region":"north"}\n\n{"income":48,"region":"south"}\n');
    const { code, stdout } = await mgov(['dataset', 'register', '--name', 'loans', '--source', 'crm', 'web', '--file', rows]);
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual({ datasetVersionId: 'f'.repeat(64), created: true });
    expect(stub.requests[0].body).toEqual({
      datasetName: 'loans', sourceIds: ['crm', 'web'], rows: [{ income: 51.2, region: 'north' }, { income: 48, region: 'south' }],
    });
  });

  it('accepts a JSON array of rows', async () => {
    stub.on('POST /lineage/dataset-versions', { datasetVersionId: 'e'.repeat(64), created: false }, 201);
    const rows = file('loans.json', '[{"income":1},{"income":2}]');
    expect((await mgov(['dataset', 'register', '--name', 'loans', '--source', 'crm', '--file', rows])).code).toBe(0);
    expect(stub.requests[0].body).toMatchObject({ rows: [{ income: 1 }, { income: 2 }] });
  });

  it('a malformed line is a usage error (exit 2) naming the line, and nothing is sent', async () => {
    const rows = file('broken.jsonl', '{"income":51.2}\n{"income": oops}\n');
    const { code, stderr } = await mgov(['dataset', 'register', '--name', 'loans', '--source', 'crm', '--file', rows]);
    expect(code).toBe(2);
    expect(stderr).toContain(`${rows} line 2: not valid JSON`);
    expect(stub.requests).toEqual([]);
  });

  it('a line that is not an object is refused the same way', async () => {
    const rows = file('array-line.jsonl', '{"income":1}\n[1,2]\n');
    const { code, stderr } = await mgov(['dataset', 'register', '--name', 'loans', '--source', 'crm', '--file', rows]);
    expect(code).toBe(2);
    expect(stderr).toContain('line 2: expected a JSON object, found an array');
  });
});

describe('caller and request shapes', () => {
  it('sends the token given as an option as a bearer credential', async () => {
    stub.on('GET /lineage/sources', []);
    expect((await mgov(['source', 'list', '--token', 'mgov_k1_secret'])).code).toBe(0);
    expect(stub.requests[0].headers).toMatchObject({ authorization: 'Bearer mgov_k1_secret' });
  });

  it('takes the token from MGOV_TOKEN and sends no identity headers of its own', async () => {
    stub.on('GET /lineage/sources', []);
    await mgov(['source', 'list'], { MGOV_TOKEN: 'mgov_k2_secret' });
    expect(stub.requests[0].headers).toMatchObject({ authorization: 'Bearer mgov_k2_secret' });
    expect(stub.requests[0].headers['x-mgov-actor']).toBeUndefined();
  });

  it('run start and complete send params and numeric metrics', async () => {
    stub.on('POST /experiment/runs', { runId: 'r1' }, 201).on('POST /experiment/runs/r1/complete', { runId: 'r1', status: 'finished' });
    await mgov(['run', 'start', '--experiment', 'credit', '--dataset', 'd1', '--param', 'max_depth=6', 'learning_rate=0.1']);
    await mgov(['run', 'complete', 'r1', '--metric', 'accuracy=0.91', '--metric', 'f1=0.88', '--artifact-digest', 'sha256:abc']);
    expect(stub.requests.map((r) => r.body)).toEqual([
      { experimentName: 'credit', datasetVersionIds: ['d1'], params: { max_depth: '6', learning_rate: '0.1' } },
      { metrics: { accuracy: 0.91, f1: 0.88 }, artifactDigest: 'sha256:abc' },
    ]);
  });

  it('monitoring publish sends batches of 1000', async () => {
    stub.on('POST /monitoring/predictions', { accepted: 1000 }, 202);
    const lines = Array.from({ length: 2500 }, (_, i) => JSON.stringify({ predictionId: `p${i}`, modelName: 'credit', modelVersion: 1 }));
    const { code } = await mgov(['monitoring', 'publish', '--file', file('predictions.jsonl', lines.join('\n'))]);
    expect(code).toBe(0);
    expect(stub.requests.map((r) => (r.body as { predictions: unknown[] }).predictions.length)).toEqual([1000, 1000, 500]);
  });
});
