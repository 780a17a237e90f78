import { Readable } from 'node:stream';
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { ObjectStore } from '../src';

/** What every adapter promises, run against each (the filesystem one and a real S3-compatible server). */
export interface ContractSubject {
  readonly store: () => ObjectStore;
  /** Changes a stored object's bytes behind the store's back, as a superuser or a disk fault would. */
  readonly tamper: (sha256: string, bytes: Buffer) => Promise<void>;
}

const sha = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
const text = async (stream: Readable) => {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
};

export function objectStoreContract(subject: ContractSubject): void {
  const stored = async (content: string) => {
    const staged = await subject.store().stage(Readable.from([Buffer.from(content)]), { maxBytes: 1 << 20 });
    const { created } = await staged.commit();
    return { sha256: staged.sha256, created };
  };

  it('given content, when it is staged and committed, then it is stored under the sha256 of its bytes', async () => {
    const content = `a,b\n1,${Math.random()}\n`;
    const { sha256, created } = await stored(content);
    expect(sha256).toBe(sha(Buffer.from(content)));
    expect(created).toBe(true);
    expect(await subject.store().has(sha256)).toBe(true);
    const { bytes, stream } = await subject.store().read(sha256);
    expect(bytes).toBe(Buffer.byteLength(content));
    expect(await text(stream)).toBe(content);
    expect(await readFile(await subject.store().verifiedPath(sha256), 'utf8')).toBe(content);
  });

  it('given stored content, when the same bytes come again, then nothing is replaced (write-once)', async () => {
    const content = `same bytes ${Math.random()}`;
    const first = await stored(content);
    const second = await stored(content);
    expect(second).toEqual({ sha256: first.sha256, created: false });
  });

  it('given a staged object that is discarded, then nothing is stored', async () => {
    const staged = await subject.store().stage(Readable.from([Buffer.from(`discarded ${Math.random()}`)]), { maxBytes: 1 << 20 });
    await staged.discard();
    expect(await subject.store().has(staged.sha256)).toBe(false);
  });

  it('given content over the limit, then staging fails and leaves nothing', async () => {
    const content = Buffer.alloc(2048, 'x');
    await expect(subject.store().stage(Readable.from([content]), { maxBytes: 1024 })).rejects.toMatchObject({ code: 'DATASET.TOO_LARGE' });
    expect(await subject.store().has(sha(content))).toBe(false);
  });

  it('given an object whose bytes changed, then every read refuses it with OBJECT_STORE.TAMPERED', async () => {
    const { sha256 } = await stored(`original ${Math.random()}`);
    await subject.store().verifiedPath(sha256);
    await subject.tamper(sha256, Buffer.from('forged'));
    await expect(subject.store().verifiedPath(sha256)).rejects.toMatchObject({ code: 'OBJECT_STORE.TAMPERED', sha256, actualSha256: sha(Buffer.from('forged')) });
    const { stream } = await subject.store().read(sha256);
    await expect(text(stream)).rejects.toMatchObject({ code: 'OBJECT_STORE.TAMPERED' });
  });

  it('given an unknown or malformed key, then reads fail with OBJECT_STORE.NOT_FOUND', async () => {
    await expect(subject.store().read('0'.repeat(64))).rejects.toMatchObject({ code: 'OBJECT_STORE.NOT_FOUND' });
    await expect(subject.store().verifiedPath('../../etc/passwd')).rejects.toMatchObject({ code: 'OBJECT_STORE.NOT_FOUND' });
    expect(await subject.store().has('0'.repeat(64))).toBe(false);
  });

  it('given an object nothing refers to, when it is removed, then it is gone', async () => {
    const { sha256 } = await stored(`orphan ${Math.random()}`);
    await subject.store().removeUnreferenced(sha256);
    expect(await subject.store().has(sha256)).toBe(false);
  });
}
