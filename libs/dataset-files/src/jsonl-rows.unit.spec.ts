import { collect, tempDirForSpec } from '../test/temp-dir';
import { readRows } from './read-rows';

describe('readRows(jsonl)', () => {
  const files = tempDirForSpec();
  const jsonl = (name: string, content: string | Uint8Array, maxLineBytes?: number) =>
    readRows(files.write(name, content), 'jsonl', maxLineBytes === undefined ? {} : { maxLineBytes });

  it('reads one object per line, keeping JSON types, skipping blank lines, with or without a final newline', async () => {
    const content = '\ufeff{"id":1,"tags":["a"],"ok":true}\r\n\n   \n{"id":2,"name":"Zoë","x":null}';
    expect(await collect(jsonl('rows.jsonl', content))).toEqual([
      { id: 1, tags: ['a'], ok: true },
      { id: 2, name: 'Zoë', x: null },
    ]);
  });

  it('refuses a line that is not JSON, naming it', async () => {
    await expect(collect(jsonl('broken.jsonl', '{"a":1}\n\n{"a":2,}\n'))).rejects.toMatchObject({
      code: 'DATASET.MALFORMED_JSONL',
      message: expect.stringMatching(/^line 3: not valid JSON \(.+\); write one JSON object per line$/),
    });
  });

  it('refuses a line holding something other than an object', async () => {
    for (const [line, kind] of [['[1,2]', 'an array'], ['42', 'a number'], ['"x"', 'a string'], ['null', 'null']]) {
      await expect(collect(jsonl('scalar.jsonl', `{"a":1}\n${line}\n`))).rejects.toMatchObject({
        code: 'DATASET.MALFORMED_JSONL',
        message: `line 2: expected a JSON object, got ${kind}`,
      });
    }
  });

  it('refuses an empty file and one of blank lines', async () => {
    await expect(collect(jsonl('empty.jsonl', ''))).rejects.toMatchObject({ code: 'DATASET.EMPTY' });
    await expect(collect(jsonl('blank.jsonl', '\n \r\n'))).rejects.toMatchObject({ code: 'DATASET.EMPTY' });
  });

  it('refuses a line longer than the limit, naming it, without buffering the rest of the file', async () => {
    const content = `{"a":1}\n{"a":"${'x'.repeat(200)}"}\n`;
    await expect(collect(jsonl('long.jsonl', content, 100))).rejects.toMatchObject({ code: 'DATASET.LINE_TOO_LONG', message: expect.stringMatching(/^line 2 is longer than 100 bytes/) });
    await expect(collect(jsonl('long-last.jsonl', `{"a":1}\n{"a":"${'x'.repeat(200_000)}"}`, 100_000))).rejects.toMatchObject({ code: 'DATASET.LINE_TOO_LONG' });
  });

  it('refuses invalid UTF-8, naming the line', async () => {
    const content = Buffer.concat([Buffer.from('{"a":"ok"}\n{"a":"'), Buffer.from([0xff]), Buffer.from('"}\n')]);
    await expect(collect(jsonl('latin.jsonl', content))).rejects.toMatchObject({ code: 'DATASET.BAD_ENCODING', message: expect.stringMatching(/^line 2: /) });
  });

  it('numbers lines correctly across read-buffer boundaries', async () => {
    const lines = Array.from({ length: 30_000 }, (_, i) => JSON.stringify({ i, text: `rôw ${i}` }));
    lines[25_000] = '{oops';
    await expect(collect(jsonl('big.jsonl', lines.join('\n')))).rejects.toMatchObject({ message: expect.stringMatching(/^line 25001: /) });
    lines[25_000] = '{}';
    const rows = await collect(jsonl('big-ok.jsonl', lines.join('\n')));
    expect(rows).toHaveLength(30_000);
    expect(rows[29_999]).toEqual({ i: 29_999, text: 'rôw 29999' });
  });
});
