import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { open, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable, Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { asDatasetFileError, datasetFileError } from './dataset-file-error';

export interface StagedContent {
  /** Lower-case hex sha256 of the bytes: the dataset version's id. */
  readonly sha256: string;
  readonly bytes: number;
  /** A complete, fsynced copy; the caller renames it into the content-addressed store (same file system). */
  readonly tempPath: string;
}

export interface StageOptions {
  /** Where the temporary copy is written; put it on the store's file system so the final rename is atomic. */
  readonly tempDir: string;
  /** More bytes than this refuse the content with DATASET.TOO_LARGE. */
  readonly maxBytes: number;
  /**
   * Stages between the hash and the file that inspect the bytes on their way and pass them on
   * unchanged (such as `csvProfileTap`): the content is read once, and their refusal aborts staging.
   */
  readonly through?: readonly NodeJS.ReadWriteStream[];
}

export type ContentSource = string | NodeJS.ReadableStream | AsyncIterable<Uint8Array>;

/** Room for a few chunks in the staging file's write buffer, so that parsing the next chunk overlaps writing this one. */
const WRITE_BUFFER_BYTES = 8 * 1024 * 1024;


function sizeText(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / (1024 * 1024)).toFixed(1)} MiB` : `${bytes} bytes`;
}

function sourceStream(source: ContentSource): NodeJS.ReadableStream {
  if (typeof source === 'string') return createReadStream(source, { highWaterMark: 1024 * 1024 });
  return 'pipe' in source ? source : Readable.from(source);
}

/** Hashes and counts the bytes passing through, refusing once there are more than `maxBytes`. */
function meter(maxBytes: number): Transform & { result(): { sha256: string; bytes: number } } {
  const hash = createHash('sha256');
  let bytes = 0;
  const transform = new Transform({
    transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback) {
      bytes += chunk.length;
      if (bytes > maxBytes) {
        return done(datasetFileError('DATASET.TOO_LARGE', `the content is larger than the ${sizeText(maxBytes)} limit; split the dataset or raise the configured limit`));
      }
      hash.update(chunk);
      done(null, chunk);
    },
  });
  return Object.assign(transform, { result: () => ({ sha256: hash.digest('hex'), bytes }) });
}

async function fsyncFile(path: string): Promise<void> {
  const handle = await open(path, 'r+');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * Streams content (a path, a stream or chunks) through sha256 while copying it to a new temporary
 * file, never holding it whole. On any failure, the byte limit included, the partial copy is deleted.
 */
export async function hashAndStage(source: ContentSource, options: StageOptions): Promise<StagedContent> {
  const tempPath = join(options.tempDir, `.staging-${randomUUID()}`);
  const counter = meter(options.maxBytes);
  const file = createWriteStream(tempPath, { flags: 'wx', highWaterMark: WRITE_BUFFER_BYTES });
  try {
    await pipeline([sourceStream(source), counter, ...(options.through ?? []), file]);
    // Durable before the caller's rename publishes it under its hash.
    await fsyncFile(tempPath);
    return { ...counter.result(), tempPath };
  } catch (error) {
    // The pipeline may reject while the file is still being opened (a refusal in the first chunk):
    // removed before the open completes, the file would be created after, and left behind.
    if (!file.closed) await new Promise<void>((resolve) => file.once('close', () => resolve()));
    await rm(tempPath, { force: true });
    throw asDatasetFileError(error, typeof source === 'string' ? source : 'the upload');
  }
}

/** The sha256 (lower-case hex) of a file's bytes, streamed: for verifying a stored object on read. */
export async function sha256OfFile(path: string): Promise<string> {
  const hash = createHash('sha256');
  try {
    for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  } catch (error) {
    throw asDatasetFileError(error, path);
  }
  return hash.digest('hex');
}
