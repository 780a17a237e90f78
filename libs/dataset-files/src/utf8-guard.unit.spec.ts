import { Readable } from 'node:stream';
import { utf8Guard } from './utf8-guard';

async function through(chunks: readonly number[][]): Promise<Buffer> {
  const guard = utf8Guard();
  Readable.from(chunks.map((bytes) => Buffer.from(bytes))).pipe(guard);
  const out: Buffer[] = [];
  for await (const chunk of guard) out.push(chunk as Buffer);
  return Buffer.concat(out);
}

const bytes = (text: string) => [...Buffer.from(text, 'utf8')];

describe('utf8Guard', () => {
  it('passes valid UTF-8 through unchanged, however the chunks split its characters', async () => {
    const text = 'name\nZoë 😀 €\n';
    const all = bytes(text);
    for (let cut = 0; cut <= all.length; cut += 1) {
      expect((await through([all.slice(0, cut), all.slice(cut)])).toString('utf8')).toBe(text);
    }
    expect((await through(all.map((b) => [b]))).toString('utf8')).toBe(text);
  });

  it('keeps a byte-order mark for the parser to strip', async () => {
    expect([...(await through([[0xef, 0xbb, 0xbf, 0x61]]))]).toEqual([0xef, 0xbb, 0xbf, 0x61]);
  });

  it('refuses a Latin-1 byte, naming the line and byte offset', async () => {
    const latin1 = [...bytes('a\nb\n'), 0x63, 0x61, 0x66, 0xe9, 0x0a];
    await expect(through([latin1.slice(0, 3), latin1.slice(3)])).rejects.toMatchObject({
      code: 'DATASET.BAD_ENCODING',
      message: 'line 3: bytes are not valid UTF-8 at byte 7; save the file as UTF-8',
    });
  });

  it('refuses overlong encodings, surrogates and stray continuation bytes', async () => {
    for (const bad of [[0xc0, 0xaf], [0xed, 0xa0, 0x80], [0x80], [0xf8, 0x88, 0x80, 0x80, 0x80]]) {
      await expect(through([[0x61, ...bad, 0x62]])).rejects.toMatchObject({ code: 'DATASET.BAD_ENCODING', message: expect.stringMatching(/^line 1: .* at byte 1;/) });
    }
  });

  it('refuses a file that ends in the middle of a character', async () => {
    await expect(through([[0x61, 0x0a, 0xe2, 0x82]])).rejects.toMatchObject({
      code: 'DATASET.BAD_ENCODING',
      message: 'line 2: the file ends inside a multi-byte character at byte 2; save the file as UTF-8',
    });
  });

  it('refuses UTF-16 text', async () => {
    const utf16 = [...Buffer.from('\ufeffa,b\n', 'utf16le')];
    await expect(through([utf16])).rejects.toMatchObject({ code: 'DATASET.BAD_ENCODING' });
  });
});
