// Dataset upload throughput. Uploads a generated 1 GiB CSV (20 numeric, 5 categorical columns) through
// DatasetUploads.upload, the service function behind POST /lineage/datasets/:name/versions (everything
// but HTTP): the bytes are streamed once through sha256, the byte limit, the UTF-8 check, the CSV scanner
// and the column profiler into staging, fsynced, published in the filesystem object store and
// registered in the event store. Prints MB/s beside `sha256sum` on the same (cached) file, their ratio
// (target >= 0.2) and the peak RSS (target <= 300 MB).
// Run: npm run bench:dataset (starts PostgreSQL); BENCH_DATASET_BYTES changes the size.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { postgresDatabase } from '@mgov/event-store';
import { embeddedBus } from '@mgov/messaging';
import { ServiceKernel } from '@mgov/service-runtime';
import { LineageService } from '../services/lineage/src/application/lineage-service';

const SIZE = Number(process.env.BENCH_DATASET_BYTES ?? 1024 ** 3);
const TARGETS = { ratio: 0.2, peakRssMb: 300 };
const MB = 1e6;
const root = resolve(__dirname, '..');
const steward = { actor: { id: 'bench', role: 'data-steward' }, now: Date.now(), correlationId: 'bench' };

function seconds(since: bigint): number {
  return Number(process.hrtime.bigint() - since) / 1e9;
}

function sha256sum(path: string): { seconds: number; digest: string } {
  const started = process.hrtime.bigint();
  const run = spawnSync('sha256sum', [path], { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`sha256sum failed: ${run.stderr}`);
  return { seconds: seconds(started), digest: run.stdout.split(' ')[0]! };
}

async function main() {
  const url = process.env.MGOV_DATABASE_URL;
  if (!url) throw new Error('MGOV_DATABASE_URL is not set: run `npm run bench:dataset`, which starts PostgreSQL');
  const dir = mkdtempSync(join(tmpdir(), 'mgov-dataset-bench-'));
  const file = join(dir, 'bench.csv');
  const schema = `bench_lineage_${randomBytes(3).toString('hex')}`;
  const db = await postgresDatabase(url);
  const kernel = new ServiceKernel({ name: 'lineage', db, bus: embeddedBus(db, { schema: `${schema}_bus` }), schema });
  try {
    const generated = spawnSync(process.execPath, ['-r', join(root, 'tools/register.js'), join(root, 'benchmarks/dataset-generate.ts'), file, String(SIZE)], { stdio: 'inherit' });
    if (generated.status !== 0) throw new Error('generating the CSV failed');
    const bytes = statSync(file).size;
    console.log(`generated ${file}: ${(bytes / MB).toFixed(0)} MB`);

    const lineage = new LineageService(kernel.runtime, { objectStoreDir: join(dir, 'objects'), datasetMaxBytes: bytes });
    await kernel.start({ readModels: [], reactors: [] });
    const { sourceId } = await lineage.registerSource({ name: 'bench', kind: 'synthetic', license: 'CC0-1.0', owner: 'bench' }, steward);

    const baseline = sha256sum(file);
    const started = process.hrtime.bigint();
    const result = await lineage.uploads.upload({ datasetName: 'bench', format: 'csv', sourceIds: [sourceId], content: file }, steward);
    const took = seconds(started);
    const peakRssMb = process.resourceUsage().maxRSS / 1024;
    if (result.datasetVersionId !== baseline.digest) throw new Error(`version id ${result.datasetVersionId} is not the file's sha256 ${baseline.digest}`);

    const uploadMbps = bytes / MB / took;
    const sha256sumMbps = bytes / MB / baseline.seconds;
    const ratio = uploadMbps / sha256sumMbps;
    console.table({
      'upload + hash + profile (DatasetUploads.upload)': { seconds: took.toFixed(2), 'MB/s': uploadMbps.toFixed(1), rows: result.rowCount },
      'sha256sum (same file, page cache warm)': { seconds: baseline.seconds.toFixed(2), 'MB/s': sha256sumMbps.toFixed(1), rows: '' },
    });
    console.log(`ratio ${ratio.toFixed(2)} (target >= ${TARGETS.ratio}: ${ratio >= TARGETS.ratio ? 'met' : 'MISSED'})`);
    console.log(`peak RSS ${peakRssMb.toFixed(0)} MB (target <= ${TARGETS.peakRssMb} MB: ${peakRssMb <= TARGETS.peakRssMb ? 'met' : 'MISSED'})`);
  } finally {
    await kernel.stop();
    for (const s of [schema, `${schema}_bus`]) await db.query(`DROP SCHEMA IF EXISTS ${s} CASCADE`).catch(() => undefined);
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
