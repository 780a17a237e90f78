import { collect, tempDirForSpec } from '../test/temp-dir';
import { readRows } from './read-rows';

describe('readRows(csv)', () => {
  const files = tempDirForSpec();
  const csv = (name: string, content: string | Uint8Array) => readRows(files.write(name, content), 'csv');

  it('reads each record as an object keyed by the header, values as text', async () => {
    expect(await collect(csv('plain.csv', 'id,name,age\n1,Ada,36\n2,"Lovelace, Ada",\n'))).toEqual([
      { id: '1', name: 'Ada', age: '36' },
      { id: '2', name: 'Lovelace, Ada', age: '' },
    ]);
  });

  it('handles quoted newlines and quotes, CRLF endings, a byte-order mark, blank lines and no final newline', async () => {
    const content = '\ufeffid,note\r\n1,"two\r\nlines"\r\n\r\n2,"say ""hi"""';
    expect(await collect(csv('quirks.csv', content))).toEqual([
      { id: '1', note: 'two\r\nlines' },
      { id: '2', note: 'say "hi"' },
    ]);
  });

  it('takes another delimiter when told', async () => {
    const path = files.write('semicolon.csv', 'a;b\n1,5;2\n');
    expect(await collect(readRows(path, 'csv', { delimiter: ';' }))).toEqual([{ a: '1,5', b: '2' }]);
  });

  it('refuses a row with too few or too many fields, naming its line (counting lines inside quotes)', async () => {
    await expect(collect(csv('short.csv', 'a,b,c\n1,2,3\n4,5\n'))).rejects.toMatchObject({
      code: 'DATASET.RAGGED_ROW',
      status: 422,
      message: 'line 3: 2 fields where the header has 3; quote values that contain the delimiter, or fix the row',
    });
    await expect(collect(csv('long.csv', 'a,b\n"x\ny",2\n3,4,5\n'))).rejects.toMatchObject({
      code: 'DATASET.RAGGED_ROW',
      message: expect.stringMatching(/^line 4: 3 fields where the header has 2;/),
    });
  });

  // Line numbers name where the unclosed quote opens: the place to fix, not the end of the file.
  it('refuses an unclosed quote and a stray quote as malformed', async () => {
    await expect(collect(csv('unclosed.csv', 'a,b\n1,"oops\n2,3\n'))).rejects.toMatchObject({ code: 'DATASET.MALFORMED_CSV', message: expect.stringMatching(/^line 2: the file ends inside a quoted field that opens on this line/) });
    await expect(collect(csv('stray.csv', 'a,b\n1,2 "x"\n'))).rejects.toMatchObject({ code: 'DATASET.MALFORMED_CSV', message: expect.stringMatching(/^line 2: /) });
  });

  it('refuses a header with a repeated, blank or prototype-setting column name', async () => {
    await expect(collect(csv('dup.csv', 'a,b,a\n1,2,3\n'))).rejects.toMatchObject({ code: 'DATASET.DUPLICATE_COLUMN', message: expect.stringContaining('"a" appears twice') });
    await expect(collect(csv('proto.csv', 'a,__proto__\n1,2\n'))).rejects.toMatchObject({ code: 'DATASET.MALFORMED_CSV' });
    await expect(collect(csv('blank.csv', 'a,,c\n1,2,3\n'))).rejects.toMatchObject({ code: 'DATASET.MALFORMED_CSV', message: expect.stringContaining('column 2 of the header has no name') });
  });

  it('refuses an empty file, a file of blank lines and a header without rows', async () => {
    await expect(collect(csv('empty.csv', ''))).rejects.toMatchObject({ code: 'DATASET.EMPTY', message: expect.stringContaining('is empty') });
    await expect(collect(csv('blank-lines.csv', '\n\n'))).rejects.toMatchObject({ code: 'DATASET.EMPTY' });
    await expect(collect(csv('header-only.csv', 'a,b\n'))).rejects.toMatchObject({ code: 'DATASET.EMPTY', message: expect.stringContaining('has a header but no rows') });
  });

  it('refuses Latin-1 text instead of reading replacement characters', async () => {
    const latin1 = Buffer.concat([Buffer.from('city\nBerlin\n'), Buffer.from([0x4d, 0xfc, 0x6e, 0x63, 0x68, 0x65, 0x6e]), Buffer.from('\n')]);
    await expect(collect(csv('latin1.csv', latin1))).rejects.toMatchObject({ code: 'DATASET.BAD_ENCODING', message: expect.stringMatching(/^line 3: /) });
  });

  it('streams a file larger than one read buffer, and stops cleanly when the reader stops early', async () => {
    const lines = Array.from({ length: 20_000 }, (_, i) => `${i},"vålue ${i}"`);
    const path = files.write('big.csv', `n,text\n${lines.join('\n')}\n`);
    const rows = await collect(readRows(path, 'csv'));
    expect(rows).toHaveLength(20_000);
    expect(rows[19_999]).toEqual({ n: '19999', text: 'vålue 19999' });
    let seen = 0;
    for await (const row of readRows(path, 'csv')) {
      expect(row.n).toBe(String(seen));
      if ((seen += 1) === 3) break;
    }
    expect(seen).toBe(3);
  });

  it('reports a missing file as DATASET.UNREADABLE', async () => {
    await expect(collect(readRows(`${files.dir()}/absent.csv`, 'csv'))).rejects.toMatchObject({ code: 'DATASET.UNREADABLE', message: expect.stringContaining('no such file') });
    await expect(collect(readRows(files.dir(), 'csv'))).rejects.toMatchObject({ code: 'DATASET.UNREADABLE', message: expect.stringContaining('directory') });
  });
});
