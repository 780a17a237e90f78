import { createReadStream } from 'node:fs';
import { chmod, link, mkdir, rm, stat, unlink } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { pipeline } from 'node:stream';
import { type ContentSource, hashAndStage, sha256OfFile } from '@mgov/dataset-files';
import { ObjectTamperedError, objectNotFound, type ObjectStore, type StagedObject, type StageOptions, verifying } from './object-store';

const HEX_SHA256 = /^[0-9a-f]{64}$/;

/**
 * The object store on a local (or mounted) file system: `<root>/sha256/<ab>/<hex>`, read-only files.
 * Content is staged in `<root>/.staging` on the same file system, so publishing it is one atomic
 * link(2), which also refuses to replace an object that exists: write-once without a lock.
 */
export class FilesystemObjectStore implements ObjectStore {
  private readonly staging: string;

  constructor(private readonly root: string) {
    this.staging = join(root, '.staging');
  }

  private pathOf(sha256: string): string {
    if (!HEX_SHA256.test(sha256)) throw objectNotFound(sha256);
    return join(this.root, 'sha256', sha256.slice(0, 2), sha256);
  }

  async stage(content: ContentSource, options: StageOptions): Promise<StagedObject> {
    await mkdir(this.staging, { recursive: true });
    const staged = await hashAndStage(content, { tempDir: this.staging, maxBytes: options.maxBytes, through: options.through });
    const final = this.pathOf(staged.sha256);
    return {
      sha256: staged.sha256,
      bytes: staged.bytes,
      localPath: staged.tempPath,
      commit: async () => {
        await mkdir(dirname(final), { recursive: true });
        await chmod(staged.tempPath, 0o444);
        const created = await link(staged.tempPath, final).then(() => true, (error: NodeJS.ErrnoException) => {
          if (error.code === 'EEXIST') return false;
          throw error;
        });
        await unlink(staged.tempPath);
        return { created };
      },
      discard: () => rm(staged.tempPath, { force: true }),
    };
  }

  async has(sha256: string): Promise<boolean> {
    return stat(this.pathOf(sha256)).then(() => true, () => false);
  }

  async verifiedPath(sha256: string): Promise<string> {
    const path = this.pathOf(sha256);
    if (!(await this.has(sha256))) throw objectNotFound(sha256);
    const actual = await sha256OfFile(path);
    if (actual !== sha256) throw new ObjectTamperedError(sha256, actual);
    return path;
  }

  async read(sha256: string) {
    const path = this.pathOf(sha256);
    const info = await stat(path).catch(() => {
      throw objectNotFound(sha256);
    });
    const verified = verifying(sha256);
    // Errors of either stage surface on the stream handed out; the callback only has to exist.
    pipeline(createReadStream(path), verified, () => undefined);
    return { bytes: info.size, stream: verified };
  }

  async removeUnreferenced(sha256: string): Promise<void> {
    await rm(this.pathOf(sha256), { force: true });
  }
}
