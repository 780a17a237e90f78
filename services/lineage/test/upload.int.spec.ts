import { createHash } from 'node:crypto';
import { chmodSync, readdirSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { databaseUrl, lineageHost } from './lineage-host';

const sha256 = (bytes: string | Buffer) => createHash('sha256').update(bytes).digest('hex');
const LOANS = 'customer_id,email,zip,sex,income,repaid\n' + Array.from({ length: 40 }, (_, i) =>
  `C${i},c${i}@example.com,0213${i % 2},${i % 2 ? 'm' : 'f'},${40 + i}.5,${i % 5 ? 'yes' : 'no'}`).join('\n') + '\n';

// Needs a real PostgreSQL: `node tools/infra/run-with-infra.js npx jest services/lineage`.
if (!(databaseUrl)) throw new Error('a real PostgreSQL (and Kafka) is needed: run the suite with tools/infra/run-with-infra.js, which sets MGOV_DATABASE_URL and MGOV_KAFKA_BROKERS');
describe('dataset uploads (lineage on PostgreSQL, over HTTP)', () => {
  const host = lineageHost({ datasetMaxBytes: 1024 * 1024 });
  let source = '';
  const upload = (body: string | Buffer | ReadableStream, query = '', headers: Record<string, string> = {}, name = 'loans') =>
    host.call('POST', `/lineage/datasets/${name}/versions?source=${source}&${query}`, 'data-steward', body as string, { 'content-type': 'text/csv', ...headers });

  beforeAll(async () => {
    const registered = await host.call('POST', '/lineage/sources', 'data-steward', { name: 'crm', kind: 'internal', license: 'LicenseRef-internal', owner: 'data-office' });
    source = registered.body.sourceId as string;
  });

  it('stores a CSV under the sha256 of its bytes, with its schema, row count and profile', async () => {
    const first = await upload(LOANS, 'format=csv&transformation=export%20of%202025-01');
    expect(first).toMatchObject({ status: 201, body: { datasetVersionId: sha256(LOANS), created: true, datasetName: 'loans', format: 'csv', rowCount: 40 } });
    const version = await host.eventually('GET', `/lineage/dataset-versions/${sha256(LOANS)}`, 'data-scientist', (r) => r.status === 200);
    expect(version.body).toMatchObject({ format: 'csv', row_count: '40', byte_size: String(Buffer.byteLength(LOANS)), transformation: 'export of 2025-01', privacy_status: 'not-gated', eligible: false });
    const schema = version.body.schema as Array<{ name: string; type: string }>;
    expect(schema.map((c) => [c.name, c.type])).toEqual([['customer_id', 'string'], ['email', 'string'], ['zip', 'integer'], ['sex', 'string'], ['income', 'number'], ['repaid', 'string']]);
    const income = (version.body.columns as Array<{ name: string; kind: string; count: number; binCounts: number[] }>).find((c) => c.name === 'income');
    expect(income).toMatchObject({ kind: 'numeric', count: 40 });
    expect(income!.binCounts.reduce((a, b) => a + b)).toBe(40);
    expect(host.storedFiles()).toEqual([join(host.objectsDir, 'sha256', sha256(LOANS).slice(0, 2), sha256(LOANS))]);
  });

  it('answers the same bytes with the same version, registering nothing new', async () => {
    expect(await upload(LOANS, 'format=csv')).toMatchObject({ status: 200, body: { datasetVersionId: sha256(LOANS), created: false } });
    expect(await host.events('DatasetVersionRegistered')).toHaveLength(1);
  });

  it('streams the body into staging as it arrives, not after reading it whole', async () => {
    const header = 'n,text\n';
    const rows = (from: number) => Array.from({ length: 2000 }, (_, i) => `${from + i},row ${from + i}`).join('\n') + '\n';
    let release: () => void = () => undefined;
    const staged = new Promise<void>((resolve) => (release = resolve));
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        controller.enqueue(Buffer.from(header + rows(0)));
        // The first part is on disk in staging before the client sends the rest.
        for (let tries = 0; tries < 200 && !readdirSync(join(host.objectsDir, '.staging'), { withFileTypes: true }).some((f) => f.name.startsWith('.staging-')); tries += 1) {
          await new Promise((r) => setTimeout(r, 10));
        }
        release();
        controller.enqueue(Buffer.from(rows(2000)));
        controller.close();
      },
    });
    const response = await fetch(`${host.url}/lineage/datasets/numbers/versions?format=csv&source=${source}`, {
      method: 'POST', body, duplex: 'half', headers: { ...(await host.as('data-steward')), 'content-type': 'text/csv' },
    } as RequestInit);
    await staged;
    expect(response.status).toBe(201);
    expect(await response.json()).toMatchObject({ rowCount: 4000, created: true });
  });

  it('refuses an upload over the byte limit, by its Content-Length or while streaming, and leaves nothing behind', async () => {
    const before = host.storedFiles();
    const big = 'n\n' + '1\n'.repeat(600 * 1024);
    const declared = await upload(big, 'format=csv');
    expect(declared).toMatchObject({ status: 413, body: { error: { code: 'DATASET.TOO_LARGE' } } });
    const chunks = Array.from({ length: 20 }, () => Buffer.from('1\n'.repeat(64 * 1024)));
    const streamed = await fetch(`${host.url}/lineage/datasets/big/versions?format=csv&source=${source}`, {
      method: 'POST', duplex: 'half', headers: { ...(await host.as('data-steward')), 'content-type': 'text/csv' },
      body: new ReadableStream({ start(c) { c.enqueue(Buffer.from('n\n')); for (const chunk of chunks) c.enqueue(chunk); c.close(); } }),
    } as RequestInit);
    expect(streamed.status).toBe(413);
    expect(await streamed.json()).toMatchObject({ error: { code: 'DATASET.TOO_LARGE' } });
    expect(host.storedFiles()).toEqual(before);
  });

  it.each([
    ['a ragged row', 'a,b\n1,2\n3\n', 'format=csv', 'DATASET.RAGGED_ROW', 'line 3: 1 fields where the header has 2'],
    ['Latin-1 text', Buffer.concat([Buffer.from('city\n'), Buffer.from([0x4d, 0xfc, 0x6e]), Buffer.from('\n')]), 'format=csv', 'DATASET.BAD_ENCODING', 'line 2'],
    ['an unclosed quote', 'a,b\n1,"2\n', 'format=csv', 'DATASET.MALFORMED_CSV', 'line 2'],
    ['an empty file', '', 'format=csv', 'DATASET.EMPTY', 'the upload is empty'],
    ['a header without rows', 'a,b\n', 'format=csv', 'DATASET.EMPTY', 'the upload has a header but no rows'],
    ['a JSON Lines line that is not an object', '{"a":1}\n[1]\n', 'format=jsonl', 'DATASET.MALFORMED_JSONL', 'line 2'],
    ['bytes that are not Parquet', 'a,b\n1,2\n', 'format=parquet', 'DATASET.MALFORMED_PARQUET', 'the upload is not a readable Parquet file'],
    ['an unknown format', 'a\n1\n', 'format=xlsx', 'DATASET.UNKNOWN_FORMAT', 'csv, jsonl, parquet'],
    ['an unknown source', 'a\n1\n', 'format=csv&source=ghost', 'LINEAGE.UNKNOWN_SOURCE', 'ghost'],
  ])('refuses %s with a clear error, and leaves no object, no staging file and no event', async (_, body, query, code, message) => {
    const before = { files: host.storedFiles(), events: (await host.events('DatasetVersionRegistered', 'DatasetVersionStored')).length };
    const response = await upload(body as string, query);
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(response.status).toBeLessThan(500);
    expect(response.body.error).toMatchObject({ code, message: expect.stringContaining(message) });
    expect(response.body.error!.message).not.toContain('.staging');
    expect(host.storedFiles()).toEqual(before.files);
    expect((await host.events('DatasetVersionRegistered', 'DatasetVersionStored')).length).toBe(before.events);
  });

  it('refuses a policy naming a column the file does not have, before storing anything', async () => {
    const before = host.storedFiles();
    const policy = JSON.stringify({ quasiIdentifiers: ['zip', 'postcode'] });
    const response = await upload('zip,x\n021,1\n', 'format=csv', { 'x-mgov-privacy-policy': policy }, 'with-policy');
    expect(response).toMatchObject({ status: 422, body: { error: { code: 'LINEAGE.UNKNOWN_COLUMN', message: expect.stringContaining('postcode') } } });
    expect(host.storedFiles()).toEqual(before);
    expect(await host.events('DatasetPrivacyPolicySet')).toEqual([]);
  });

  it('leaves nothing behind when the client breaks off halfway', async () => {
    const before = { files: host.storedFiles(), events: (await host.events('DatasetVersionRegistered')).length };
    const auth = await host.as('data-steward');
    // A connection that drops mid-body (node:http, which lets the test cut the socket itself).
    const staging = () => host.storedFiles().filter((file) => file.includes('/.staging/.staging-'));
    let stagedMidway = false;
    await new Promise<void>((resolve) => {
      const upload = request(`${host.url}/lineage/datasets/broken/versions?format=csv&source=${source}`, { method: 'POST', headers: { ...auth, 'content-type': 'text/csv' } });
      upload.on('error', () => resolve());
      upload.write('n\n' + '7\n'.repeat(100_000));
      const cut = setInterval(() => {
        if (staging().length === 0) return;
        stagedMidway = true;
        clearInterval(cut);
        upload.destroy();
      }, 10);
    });
    expect(stagedMidway).toBe(true);
    const deadline = Date.now() + 10_000;
    while (host.storedFiles().length !== before.files.length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(host.storedFiles()).toEqual(before.files);
    expect((await host.events('DatasetVersionRegistered')).length).toBe(before.events);
  });

  it('streams a stored version back verified, to a data steward; a data scientist may not read it raw', async () => {
    const steward = await host.call('GET', `/lineage/dataset-versions/${sha256(LOANS)}/content`, 'data-steward');
    expect(steward.status).toBe(200);
    expect(steward.text).toBe(LOANS);
    expect(steward.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(steward.headers.get('x-mgov-sha256')).toBe(sha256(LOANS));
    const scientist = await host.call('GET', `/lineage/dataset-versions/${sha256(LOANS)}/content`, 'data-scientist');
    expect(scientist).toMatchObject({ status: 403, body: { error: { code: 'LINEAGE.RAW_DATA_FORBIDDEN' } } });
  });

  it('refuses and records a stored object whose bytes changed', async () => {
    const bytes = 'k,v\n1,2\n';
    await upload(bytes, 'format=csv', {}, 'tampered');
    const path = join(host.objectsDir, 'sha256', sha256(bytes).slice(0, 2), sha256(bytes));
    chmodSync(path, 0o644);
    writeFileSync(path, 'k,v\n1,3\n');
    const response = await host.call('GET', `/lineage/dataset-versions/${sha256(bytes)}/content`, 'data-steward');
    expect(response).toMatchObject({ status: 409, body: { error: { code: 'OBJECT_STORE.TAMPERED' } } });
    expect(await host.events('DatasetVersionTamperingDetected')).toEqual([
      expect.objectContaining({ data: { datasetVersionId: sha256(bytes), actualSha256: sha256('k,v\n1,3\n'), detectedDuring: 'download' } }),
    ]);
  });
});
