import { execFile, spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { fixtureFiles, runMgov } from './cli-harness';

// `mgov drift` against numpy/scipy on the same files: the python script implements the issue's
// definitions with scipy.stats.ks_2samp(method="asymp"), wasserstein_distance, np.quantile,
// scipy.spatial.distance.jensenshannon and scipy.stats.chisquare.
const SCRIPT = join(__dirname, 'drift_reference.py');
const INSTALL = 'pip install -r .ci/requirements.txt into ~/.cache/mgov/ci-venv and put its bin first on PATH (.ci/run does both)';
const { dir, file } = fixtureFiles();
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A small deterministic generator (mulberry32), so the fixtures are the same on every run. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const normal = (rand: () => number) => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());

type Row = Record<string, string | number | null>;
function rows(n: number, seed: number, shift: number): Row[] {
  const rand = random(seed);
  const regions = shift > 0 ? ['n', 's', 'e', 'w', 'x'] : ['n', 's', 'e', 'w'];
  return Array.from({ length: n }, () => ({
    age: 18 + Math.floor(rand() * (60 + shift * 5)),
    income: rand() < 0.05 ? null : Math.round((50_000 + shift * 3_000 + 12_000 * normal(rand)) * 100) / 100,
    ratio: rand() ** (1 + shift),
    region: regions[Math.floor(rand() * regions.length)]!,
    flag: rand() < 0.3 + shift * 0.1 ? 1 : 0,
    code: String(100 + Math.floor(rand() * 8)),
  }));
}
const csv = (data: Row[]) => [Object.keys(data[0]!).join(','), ...data.map((r) => Object.values(r).map((v) => (v === null ? '' : String(v))).join(','))].join('\n');
const jsonl = (data: Row[]) => data.map((r) => JSON.stringify(r)).join('\n');

interface Expected { type: string; [stat: string]: number | string }
async function scipyOf(reference: string, current: string, categorical: string): Promise<Record<string, Expected>> {
  const { stdout } = await promisify(execFile)('python3', [SCRIPT, reference, current, categorical], { timeout: 120_000, maxBuffer: 1 << 24 });
  return JSON.parse(stdout) as Record<string, Expected>;
}

const close = (actual: number, expected: number, tolerance: number, relative = false) =>
  Math.abs(actual - expected) <= tolerance * (relative ? Math.max(1, Math.abs(expected)) : 1);

beforeAll(() => {
  const probe = spawnSync('python3', ['-c', 'import scipy, numpy'], { encoding: 'utf8' });
  if (probe.status !== 0) throw new Error(`python3 with scipy and numpy is needed for this spec (${probe.stderr.trim().split('\n').pop()}); ${INSTALL}`);
});

describe('mgov drift agrees with scipy/numpy', () => {
  const cases = [
    { name: 'small CSV (tests decide)', ref: file('ref.csv', csv(rows(800, 1, 0))), cur: file('cur.csv', csv(rows(600, 2, 0.4))), categorical: '' },
    { name: 'large JSON Lines (distances decide)', ref: file('ref.jsonl', jsonl(rows(5000, 3, 0))), cur: file('cur.jsonl', jsonl(rows(3000, 4, 0.2))), categorical: 'code' },
    { name: 'tiny samples', ref: file('tiny-ref.csv', csv(rows(40, 5, 0))), cur: file('tiny-cur.csv', csv(rows(27, 6, 1))), categorical: '' },
    { name: 'same distribution', ref: file('same-ref.csv', csv(rows(1200, 7, 0))), cur: file('same-cur.csv', csv(rows(1500, 8, 0))), categorical: '' },
  ];

  it.each(cases)('$name', async ({ ref, cur, categorical }) => {
    const args = ['drift', '--reference', ref, '--current', cur, '--format', 'json', ...(categorical ? ['--categorical', categorical] : [])];
    const [outcome, expected] = await Promise.all([runMgov(args), scipyOf(ref, cur, categorical)]);
    expect(outcome.stderr).toBe('');
    expect(outcome.code).toBe(0);
    const report = JSON.parse(outcome.stdout) as {
      reference_rows: number; drifted_columns: number; dataset_drift: boolean; drift_share: number;
      columns: Record<string, { type: string; method: string; score: number; threshold: number; drifted: boolean; stats: Record<string, number> }>;
    };
    expect(Object.keys(report.columns)).toEqual(Object.keys(expected));
    const small = report.reference_rows <= 1000;
    for (const [name, want] of Object.entries(expected)) {
      const got = report.columns[name]!;
      const where = `${name}: ${JSON.stringify(got.stats)} vs ${JSON.stringify(want)}`;
      expect([name, got.type]).toEqual([name, want.type]);
      if (want.type === 'numerical') {
        expect(Object.keys(got.stats).sort()).toEqual(['jensenshannon', 'ks_p_value', 'ks_statistic', 'psi', 'wasserstein_normed']);
        expect([where, close(got.stats.ks_statistic!, want.ks_statistic as number, 1e-9)]).toEqual([where, true]);
        expect([where, close(got.stats.ks_p_value!, want.ks_p_value as number, 0.005)]).toEqual([where, true]);
        expect([where, close(got.stats.wasserstein_normed!, want.wasserstein_normed as number, 1e-6, true)]).toEqual([where, true]);
        const [method, score, drifted] = small
          ? ['ks', want.ks_p_value as number, (want.ks_p_value as number) < 0.05]
          : ['wasserstein', want.wasserstein_normed as number, (want.wasserstein_normed as number) >= 0.1];
        expect([name, got.method, got.drifted]).toEqual([name, method, drifted]);
        expect(close(got.score, score, small ? 0.005 : 1e-6, !small)).toBe(true);
      } else {
        expect(Object.keys(got.stats).sort()).toEqual(['chi2_p_value', 'jensenshannon', 'psi']);
        expect([where, close(got.stats.chi2_p_value!, want.chi2_p_value as number, 1e-6)]).toEqual([where, true]);
        const [method, drifted] = small ? ['chisquare', (want.chi2_p_value as number) < 0.05] : ['jensenshannon', (want.jensenshannon as number) >= 0.1];
        expect([name, got.method, got.drifted]).toEqual([name, method, drifted]);
      }
      expect([where, close(got.stats.psi!, want.psi as number, 1e-6)]).toEqual([where, true]);
      expect([where, close(got.stats.jensenshannon!, want.jensenshannon as number, 1e-6)]).toEqual([where, true]);
    }
    const drifted = Object.values(report.columns).filter((c) => c.drifted).length;
    expect(report.drifted_columns).toBe(drifted);
    expect(report.dataset_drift).toBe(drifted / Object.keys(report.columns).length >= 0.5);
  });

  it('finds drift where it was put, and none where it was not', async () => {
    const moved = file('moved.jsonl', jsonl(rows(2000, 9, 2)));
    const shifted = JSON.parse((await runMgov(['drift', '--reference', cases[1]!.ref, '--current', moved, '--format', 'json'])).stdout);
    expect([shifted.columns.income.method, shifted.columns.income.drifted, shifted.dataset_drift]).toEqual(['wasserstein', true, true]);
    const same = JSON.parse((await runMgov(['drift', '--reference', cases[3]!.ref, '--current', cases[3]!.cur, '--format', 'json'])).stdout);
    expect(same.dataset_drift).toBe(false);
  });

  it('exits 2 with one line on bad usage or unreadable input, and prints no JSON', async () => {
    const missing = await runMgov(['drift', '--reference', join(dir, 'nope.csv'), '--current', cases[0]!.cur, '--format', 'json']);
    expect([missing.code, missing.stdout, missing.stderr.trim()]).toEqual([2, '', `error: cannot read ${join(dir, 'nope.csv')}: no such file`]);
    const noCurrent = await runMgov(['drift', '--reference', cases[0]!.ref]);
    expect(noCurrent.code).toBe(2);
    expect(noCurrent.stderr).toMatch(/--current/);
    const badColumn = await runMgov(['drift', '--reference', cases[0]!.ref, '--current', cases[0]!.cur, '--columns', 'age,salary']);
    expect([badColumn.code, badColumn.stderr.trim()]).toEqual([2, expect.stringMatching(/no column salary/)]);
    const ragged = await runMgov(['drift', '--reference', file('ragged.csv', 'a,b\n1,2\n3\n'), '--current', cases[0]!.cur]);
    expect([ragged.code, ragged.stdout]).toEqual([2, '']);
    expect(ragged.stderr).toMatch(/line 3/);
  });
});
