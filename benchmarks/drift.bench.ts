// `mgov drift` throughput: a reference and a current CSV of BENCH_DRIFT_ROWS rows (default 1,000,000)
// × 20 columns (16 numeric, 4 categorical; the current one shifted), compared exactly by the CLI as a
// user runs it (its own process). Prints rows/s (both files' rows over the wall time) and the peak RSS
// of the CLI, and beside it the rows/s of the bare CSV scanner it reads with (no statistics) on the
// same cached files, measured in this run, and their ratio.
// Run: npm run bench:drift
import { spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, statSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { scanCsvFile } from '@mgov/dataset-files';

const ROWS = Number(process.env.BENCH_DRIFT_ROWS ?? 1_000_000);
const root = resolve(__dirname, '..');
const CATEGORIES = [['north', 'south', 'east', 'west'], ['a', 'b', 'c'], ['retail', 'corporate', 'sme', 'public', 'ngo'], Array.from({ length: 40 }, (_, i) => `s${i}`)];

function generate(path: string, rows: number, seed: number, shift: number): void {
  let state = seed;
  const uniform = () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 4_294_967_296;
  };
  const fd = openSync(path, 'w');
  writeSync(fd, `${[...Array.from({ length: 16 }, (_, i) => `x${i}`), 'region', 'grade', 'sector', 'segment'].join(',')}\n`);
  for (let done = 0; done < rows; done += 4096) {
    const lines: string[] = [];
    for (let row = 0; row < Math.min(4096, rows - done); row += 1) {
      const fields: string[] = [];
      for (let i = 0; i < 16; i += 1) fields.push(((uniform() + (i < 4 ? shift : 0)) * 10 ** (1 + (i % 4))).toFixed(3));
      for (const values of CATEGORIES) fields.push(values[Math.floor(uniform() ** (1 + shift) * values.length)]!);
      lines.push(fields.join(','));
    }
    writeSync(fd, `${lines.join('\n')}\n`);
  }
  closeSync(fd);
}

function timed(command: string, args: string[]): { seconds: number; stdout: string; stderr: string; status: number | null } {
  const started = process.hrtime.bigint();
  const run = spawnSync(command, args, { cwd: root, encoding: 'utf8', maxBuffer: 1 << 26 });
  return { seconds: Number(process.hrtime.bigint() - started) / 1e9, stdout: run.stdout, stderr: run.stderr, status: run.status };
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'mgov-bench-drift-'));
  try {
    const reference = join(dir, 'reference.csv');
    const current = join(dir, 'current.csv');
    generate(reference, ROWS, 0x2545f491, 0);
    generate(current, ROWS, 0x1b873593, 0.3);
    const mb = (statSync(reference).size + statSync(current).size) / 1e6;
    const scanStarted = process.hrtime.bigint();
    for (const path of [reference, current]) await scanCsvFile(path, { header: () => undefined, record: () => undefined });
    const floor = { seconds: Number(process.hrtime.bigint() - scanStarted) / 1e9 };
    const drift = timed('/usr/bin/time', ['-f', '%M', process.execPath, 'tools/cli/mgov.js', 'drift', '--reference', reference, '--current', current, '--format', 'json']);
    if (drift.status !== 0) throw new Error(`mgov drift failed: ${drift.stderr}`);
    const report = JSON.parse(drift.stdout) as { drifted_columns: number; columns: object };
    const peakKb = Number(drift.stderr.trim().split('\n').pop());
    const rows = 2 * ROWS;
    console.log(`mgov drift: ${ROWS.toLocaleString()} + ${ROWS.toLocaleString()} rows × 20 columns (${mb.toFixed(0)} MB) in ${drift.seconds.toFixed(2)} s`);
    console.log(`  rows/s:            ${(rows / drift.seconds).toFixed(0)}  (${report.drifted_columns} of ${Object.keys(report.columns).length} columns drifted)`);
    console.log(`  peak RSS:          ${(peakKb / 1024).toFixed(0)} MB`);
    console.log(`  bare CSV scan rows/s: ${(rows / floor.seconds).toFixed(0)}  (same files, cached, no statistics)`);
    console.log(`  ratio drift / scan:   ${(floor.seconds / drift.seconds).toFixed(3)}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

void main();
