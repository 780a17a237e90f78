import { createHash } from 'node:crypto';
import { type Readable, Transform, type TransformCallback } from 'node:stream';
import { DomainError } from '@mgov/decider';
import type { ContentSource } from '@mgov/dataset-files';

/** Content on its way into the store: hashed and complete, but not yet visible under its digest. */
export interface StagedObject {
  /** Lower-case hex sha256 of the bytes: the object's key. */
  readonly sha256: string;
  readonly bytes: number;
  /** A local file holding the bytes, for readers that need one (until commit or discard). */
  readonly localPath: string;
  /** Publishes the bytes under their digest, write-once; `created` is false when they were stored already. */
  commit(): Promise<{ readonly created: boolean }>;
  discard(): Promise<void>;
}

export interface StageOptions {
  readonly maxBytes: number;
  /** Streams that inspect the bytes on their way and pass them on (see `hashAndStage`). */
  readonly through?: readonly NodeJS.ReadWriteStream[];
}

/**
 * Where content (dataset versions, run artifacts, model files) lives, keyed by their sha256 and never overwritten. Every read checks the bytes
 * still hash to their key and fails with ObjectTamperedError otherwise. The filesystem adapter is the
 * default; `S3ObjectStore` keeps the same promises on an S3-compatible service.
 */
export interface ObjectStore {
  stage(content: ContentSource, options: StageOptions): Promise<StagedObject>;
  has(sha256: string): Promise<boolean>;
  /** A local file with the verified bytes (a Parquet reader needs random access). */
  verifiedPath(sha256: string): Promise<string>;
  /** The bytes as a stream; it fails with ObjectTamperedError at the end if they no longer match. */
  read(sha256: string): Promise<{ readonly bytes: number; readonly stream: Readable }>;
  /** Deletes an object nothing refers to yet: only to undo a commit whose registration failed. */
  removeUnreferenced(sha256: string): Promise<void>;
}

/** A stored object whose bytes no longer hash to its key; `actualSha256` is what they hash to now. */
export class ObjectTamperedError extends DomainError {
  constructor(readonly sha256: string, readonly actualSha256: string) {
    super('OBJECT_STORE.TAMPERED', `stored object ${sha256} no longer matches its sha256 (now ${actualSha256}); the read was refused and recorded: restore it from a backup`, 409);
  }
}

export function objectNotFound(sha256: string): DomainError {
  return new DomainError('OBJECT_STORE.NOT_FOUND', `no stored object ${sha256}; the bytes are missing from the object store`, 404);
}

/** The key layout every adapter uses, recorded with each version. */
export const objectKey = (sha256: string) => `sha256/${sha256}`;

/** Passes bytes through while hashing them; fails at the end, instead of finishing, if they changed. */
export function verifying(sha256: string): Transform {
  const hash = createHash('sha256');
  return new Transform({
    transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback) {
      hash.update(chunk);
      done(null, chunk);
    },
    flush(done: TransformCallback) {
      const actual = hash.digest('hex');
      done(actual === sha256 ? null : new ObjectTamperedError(sha256, actual));
    },
  });
}
