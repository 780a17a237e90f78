import { S3Client } from '@aws-sdk/client-s3';
import { FilesystemObjectStore } from './filesystem-object-store';
import type { ObjectStore } from './object-store';
import { S3ObjectStore } from './s3-object-store';

/**
 * The object store the environment asks for: `MGOV_OBJECT_STORE_URL=s3://<bucket>[/<prefix>]` selects
 * S3 (`MGOV_S3_ENDPOINT` for MinIO or another S3-compatible service; region and credentials come from
 * the usual AWS variables), anything else the filesystem under `dir`. Either way `dir` holds local work
 * files (staging, verified copies).
 */
export function objectStoreFromEnvironment(dir: string, env: NodeJS.ProcessEnv = process.env): ObjectStore {
  const url = env.MGOV_OBJECT_STORE_URL?.trim();
  if (!url) return new FilesystemObjectStore(dir);
  const match = /^s3:\/\/([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])(?:\/(.*))?$/.exec(url);
  if (!match) {
    // A start-up mistake, not a request's: the process refuses to start.
    throw new Error(`MGOV_OBJECT_STORE_URL must look like s3://<bucket>[/<prefix>], not ${JSON.stringify(url)}; unset it for the filesystem store`);
  }
  const prefix = match[2] ? `${match[2].replace(/\/+$/, '')}/` : '';
  const endpoint = env.MGOV_S3_ENDPOINT?.trim() || undefined;
  const client = new S3Client({
    endpoint, region: env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? 'us-east-1',
    // S3-compatible services behind one host name address buckets by path, not by sub-domain.
    forcePathStyle: endpoint !== undefined,
  });
  return new S3ObjectStore({ bucket: match[1]!, prefix, localDir: dir, client });
}
