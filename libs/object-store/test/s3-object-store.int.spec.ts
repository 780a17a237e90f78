import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { objectStoreFromEnvironment, S3ObjectStore } from '../src';
import { startMotoServer, type MotoServer } from './moto-server';
import { objectStoreContract } from './object-store.contract';

describe('the S3 object store, against a real S3-compatible server (moto)', () => {
  let moto: MotoServer;
  let localDir: string;
  let client: S3Client;
  const bucket = 'mgov-objects';
  const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };

  beforeAll(async () => {
    moto = await startMotoServer();
    localDir = await mkdtemp(join(tmpdir(), 'mgov-s3-'));
    client = new S3Client({ endpoint: moto.endpoint, region: 'us-east-1', forcePathStyle: true, credentials });
    await client.send(new CreateBucketCommand({ Bucket: bucket }));
  }, 60_000);
  afterAll(async () => {
    client?.destroy();
    await moto?.stop();
    await rm(localDir, { recursive: true, force: true });
  });

  objectStoreContract({
    store: () => new S3ObjectStore({ bucket, prefix: 'install-a/', localDir, client }),
    tamper: async (sha256, bytes) => {
      await client.send(new PutObjectCommand({ Bucket: bucket, Key: `install-a/sha256/${sha256}`, Body: bytes }));
    },
  });

  it('is what MGOV_OBJECT_STORE_URL=s3://… selects, with the key prefix from the URL', async () => {
    const env = { MGOV_OBJECT_STORE_URL: `s3://${bucket}/install-b/`, MGOV_S3_ENDPOINT: moto.endpoint, AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test' };
    const saved = { ...process.env };
    Object.assign(process.env, env);
    try {
      const store = objectStoreFromEnvironment(localDir, process.env);
      expect(store).toBeInstanceOf(S3ObjectStore);
      const { Readable } = await import('node:stream');
      const staged = await store.stage(Readable.from([Buffer.from('configured')]), { maxBytes: 100 });
      await staged.commit();
      const other = new S3ObjectStore({ bucket, prefix: 'install-a/', localDir, client });
      expect(await store.has(staged.sha256)).toBe(true);
      expect(await other.has(staged.sha256)).toBe(false);
    } finally {
      process.env = saved;
    }
    expect(() => objectStoreFromEnvironment(localDir, { MGOV_OBJECT_STORE_URL: 'ftp://x' })).toThrow(/s3:\/\/<bucket>/);
  });
});
