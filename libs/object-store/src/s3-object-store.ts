import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  DeleteObjectCommand, GetObjectCommand, HeadObjectCommand, PutObjectCommand, S3Client, S3ServiceException,
} from '@aws-sdk/client-s3';
import { type ContentSource, hashAndStage, sha256OfFile } from '@mgov/dataset-files';
import { objectKey, objectNotFound, type ObjectStore, type StagedObject, type StageOptions, verifying } from './object-store';

export interface S3ObjectStoreOptions {
  readonly bucket: string;
  /** Put before every key (`<prefix>sha256/<hex>`), so one bucket can hold several installations. */
  readonly prefix?: string;
  /** Where content is staged before upload and verified copies are kept for readers that need a file. */
  readonly localDir: string;
  readonly client: S3Client;
}

const HEX_SHA256 = /^[0-9a-f]{64}$/;

/**
 * The object store on an S3-compatible service (AWS S3, MinIO, Ceph, …). Write-once without a lock:
 * the upload is a conditional put (`If-None-Match: *`), so an existing object is never replaced, and it
 * carries the sha256 so the service itself refuses bytes that were damaged on the way. Reads hash what
 * comes back, exactly like the filesystem adapter: a bucket object whose bytes changed is refused.
 * (In production, also turn on Object Lock in compliance mode: then not even the bucket owner can change it.)
 */
export class S3ObjectStore implements ObjectStore {
  private readonly staging: string;
  private readonly verified: string;

  constructor(private readonly options: S3ObjectStoreOptions) {
    this.staging = join(options.localDir, '.staging');
    this.verified = join(options.localDir, 'verified');
  }

  private keyOf(sha256: string): string {
    if (!HEX_SHA256.test(sha256)) throw objectNotFound(sha256);
    return `${this.options.prefix ?? ''}${objectKey(sha256)}`;
  }

  async stage(content: ContentSource, options: StageOptions): Promise<StagedObject> {
    await mkdir(this.staging, { recursive: true });
    const staged = await hashAndStage(content, { tempDir: this.staging, maxBytes: options.maxBytes, through: options.through });
    return {
      sha256: staged.sha256,
      bytes: staged.bytes,
      localPath: staged.tempPath,
      commit: async () => {
        try {
          const created = await this.putIfAbsent(staged.sha256, staged.tempPath, staged.bytes);
          return { created };
        } finally {
          await rm(staged.tempPath, { force: true });
        }
      },
      discard: () => rm(staged.tempPath, { force: true }),
    };
  }

  private async putIfAbsent(sha256: string, path: string, bytes: number): Promise<boolean> {
    // Stored already: no need to send the bytes again (the conditional put below covers a race).
    if (await this.has(sha256)) return false;
    try {
      await this.options.client.send(new PutObjectCommand({
        Bucket: this.options.bucket, Key: this.keyOf(sha256), Body: createReadStream(path), ContentLength: bytes,
        IfNoneMatch: '*', ChecksumSHA256: Buffer.from(sha256, 'hex').toString('base64'),
      }));
      return true;
    } catch (error) {
      // 412: the object exists (same key, so same bytes, unless tampered with: reads will tell).
      if (statusOf(error) === 412) return false;
      throw error;
    }
  }

  async has(sha256: string): Promise<boolean> {
    try {
      await this.options.client.send(new HeadObjectCommand({ Bucket: this.options.bucket, Key: this.keyOf(sha256) }));
      return true;
    } catch (error) {
      if (statusOf(error) === 404) return false;
      throw error;
    }
  }

  /**
   * Downloads into a private directory, hashing on the way; only bytes that match are renamed into place.
   * The copy is named after the object's ETag, so an object rewritten in the bucket is fetched (and
   * refused) again, and the copy itself is re-hashed: the local disk is no more trusted than the bucket.
   */
  async verifiedPath(sha256: string): Promise<string> {
    const etag = await this.etagOf(sha256);
    const path = join(this.verified, `${sha256}.${createHash('sha256').update(etag).digest('hex').slice(0, 16)}`);
    if (await stat(path).then(() => true, () => false)) {
      const actual = await sha256OfFile(path);
      if (actual === sha256) return path;
      await rm(path, { force: true });
    }
    await mkdir(this.verified, { recursive: true });
    const { stream } = await this.read(sha256);
    const partial = `${path}.${process.pid}.${Date.now()}.partial`;
    try {
      await pipeline(stream, createWriteStream(partial, { flags: 'wx' }));
      await rename(partial, path);
    } catch (error) {
      await rm(partial, { force: true });
      throw error;
    }
    return path;
  }

  private async etagOf(sha256: string): Promise<string> {
    try {
      const head = await this.options.client.send(new HeadObjectCommand({ Bucket: this.options.bucket, Key: this.keyOf(sha256) }));
      return head.ETag ?? '';
    } catch (error) {
      if (statusOf(error) === 404) throw objectNotFound(sha256);
      throw error;
    }
  }

  async read(sha256: string): Promise<{ readonly bytes: number; readonly stream: Readable }> {
    let body: Readable;
    let bytes: number;
    try {
      const response = await this.options.client.send(new GetObjectCommand({ Bucket: this.options.bucket, Key: this.keyOf(sha256) }));
      body = response.Body as Readable;
      bytes = response.ContentLength ?? 0;
    } catch (error) {
      if (statusOf(error) === 404) throw objectNotFound(sha256);
      throw error;
    }
    const verified = verifying(sha256);
    body.on('error', (error) => verified.destroy(error));
    body.pipe(verified);
    return { bytes, stream: verified };
  }

  async removeUnreferenced(sha256: string): Promise<void> {
    await this.options.client.send(new DeleteObjectCommand({ Bucket: this.options.bucket, Key: this.keyOf(sha256) }));
  }
}

function statusOf(error: unknown): number | undefined {
  if (error instanceof S3ServiceException) return error.$metadata.httpStatusCode;
  return (error as { $metadata?: { httpStatusCode?: number } })?.$metadata?.httpStatusCode;
}
