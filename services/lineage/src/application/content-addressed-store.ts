import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { DomainError } from '@mgov/decider';

/** Write-once object store keyed by sha256; every read verifies the bytes still match their name. */
export class ContentAddressedStore {
  constructor(private readonly root: string) {}

  static digest(bytes: Buffer): string {
    return createHash('sha256').update(bytes).digest('hex');
  }

  private pathOf(digest: string): string {
    return join(this.root, 'sha256', digest.slice(0, 2), digest);
  }

  async put(bytes: Buffer): Promise<string> {
    const digest = ContentAddressedStore.digest(bytes);
    const path = this.pathOf(digest);
    const exists = await stat(path).then(() => true, () => false);
    if (!exists) {
      await mkdir(dirname(path), { recursive: true });
      const partial = `${path}.${process.pid}.partial`;
      await writeFile(partial, bytes, { mode: 0o444 });
      await rename(partial, path);
    }
    return digest;
  }

  async get(digest: string): Promise<Buffer> {
    const bytes = await readFile(this.pathOf(digest)).catch(() => {
      throw new DomainError('LINEAGE.OBJECT_NOT_FOUND', `no stored object ${digest}`, 404);
    });
    if (ContentAddressedStore.digest(bytes) !== digest) {
      throw new DomainError('LINEAGE.OBJECT_TAMPERED', `stored object ${digest} no longer matches its sha256; restore it from a backup`, 409);
    }
    return bytes;
  }
}
