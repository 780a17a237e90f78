import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { tempDirForSpec } from '../test/temp-dir';
import { hashAndStage, sha256OfFile } from './hash-and-stage';

const ABC_SHA256 = 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad';

describe('hashAndStage', () => {
  const files = tempDirForSpec();
  const staging = () => join(files.dir(), 'staging');
  const leftovers = () => readdirSync(staging());

  beforeAll(() => mkdirSync(staging()));

  it('hashes and copies a file, returning the known sha256 of its bytes', async () => {
    const staged = await hashAndStage(files.write('abc.txt', 'abc'), { tempDir: staging(), maxBytes: 3 });
    expect(staged).toEqual({ sha256: ABC_SHA256, bytes: 3, tempPath: expect.stringMatching(/staging\/\.staging-[0-9a-f-]{36}$/) });
    expect(readFileSync(staged.tempPath, 'utf8')).toBe('abc');
  });

  it('takes a stream or chunks, hashing across chunk boundaries like one buffer', async () => {
    const chunks = Array.from({ length: 50 }, (_, i) => Buffer.alloc(10_000 + i, i));
    const expected = createHash('sha256').update(Buffer.concat(chunks)).digest('hex');
    const fromStream = await hashAndStage(Readable.from(chunks), { tempDir: staging(), maxBytes: 1e9 });
    async function* generated() {
      yield* chunks;
    }
    const fromChunks = await hashAndStage(generated(), { tempDir: staging(), maxBytes: 1e9 });
    expect(fromStream.sha256).toBe(expected);
    expect(fromChunks).toMatchObject({ sha256: expected, bytes: Buffer.concat(chunks).length });
    expect(readFileSync(fromChunks.tempPath).equals(Buffer.concat(chunks))).toBe(true);
  });

  it('gives two copies of the same bytes the same hash and distinct temporary files', async () => {
    const a = await hashAndStage(Readable.from([Buffer.from('same')]), { tempDir: staging(), maxBytes: 10 });
    const b = await hashAndStage(Readable.from([Buffer.from('sa'), Buffer.from('me')]), { tempDir: staging(), maxBytes: 10 });
    expect(a.sha256).toBe(b.sha256);
    expect(a.tempPath).not.toBe(b.tempPath);
  });

  it('refuses content over maxBytes with DATASET.TOO_LARGE (413) and deletes the partial copy', async () => {
    const before = leftovers();
    const big = Array.from({ length: 20 }, () => Buffer.alloc(64 * 1024, 1));
    await expect(hashAndStage(Readable.from(big), { tempDir: staging(), maxBytes: 1024 * 1024 })).rejects.toMatchObject({
      code: 'DATASET.TOO_LARGE',
      status: 413,
      message: 'the content is larger than the 1.0 MiB limit; split the dataset or raise the configured limit',
    });
    await expect(hashAndStage(files.write('four.txt', 'abcd'), { tempDir: staging(), maxBytes: 3 })).rejects.toMatchObject({ code: 'DATASET.TOO_LARGE', message: expect.stringContaining('3 bytes limit') });
    expect(leftovers()).toEqual(before);
  });

  it('deletes the partial copy when the upload breaks off halfway, passing the cause on', async () => {
    const before = leftovers();
    async function* interrupted() {
      yield Buffer.alloc(100_000, 7);
      throw new Error('connection reset');
    }
    await expect(hashAndStage(interrupted(), { tempDir: staging(), maxBytes: 1e9 })).rejects.toThrow('connection reset');
    expect(leftovers()).toEqual(before);
  });

  it('passes a missing staging directory on as the platform fault it is, not as bad input', async () => {
    const failure = hashAndStage(files.write('ok.txt', 'ok'), { tempDir: join(files.dir(), 'no-such-dir'), maxBytes: 10 });
    await expect(failure).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('reports a missing source file as DATASET.UNREADABLE and leaves nothing behind', async () => {
    const before = leftovers();
    await expect(hashAndStage(join(files.dir(), 'absent.csv'), { tempDir: staging(), maxBytes: 10 })).rejects.toMatchObject({ code: 'DATASET.UNREADABLE' });
    expect(leftovers()).toEqual(before);
  });
});

describe('sha256OfFile', () => {
  const files = tempDirForSpec();

  it('streams a file through sha256', async () => {
    expect(await sha256OfFile(files.write('abc.txt', 'abc'))).toBe(ABC_SHA256);
    expect(await sha256OfFile(files.write('empty.txt', ''))).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });

  it('reports a missing file as DATASET.UNREADABLE', async () => {
    await expect(sha256OfFile(join(files.dir(), 'absent'))).rejects.toMatchObject({ code: 'DATASET.UNREADABLE' });
  });
});
