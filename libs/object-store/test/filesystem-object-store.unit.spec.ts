import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FilesystemObjectStore } from '../src';
import { objectStoreContract } from './object-store.contract';

describe('the filesystem object store', () => {
  let root: string;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'mgov-objects-'));
  });
  afterAll(() => rm(root, { recursive: true, force: true }));

  objectStoreContract({
    store: () => new FilesystemObjectStore(root),
    tamper: async (sha256, bytes) => {
      const path = join(root, 'sha256', sha256.slice(0, 2), sha256);
      await chmod(path, 0o644);
      await writeFile(path, bytes);
    },
  });
});
