import { type CsvRecord, CsvScanner, fieldText } from './csv-scanner';

/** Every record as arrays of field texts (with its line), the input pushed in pieces of `size` bytes. */
function records(input: string | Buffer, size = Number.POSITIVE_INFINITY, delimiter?: string): [number, string[]][] {
  const found: [number, string[]][] = [];
  const scanner = new CsvScanner((r: CsvRecord) => found.push([r.line, Array.from({ length: r.count }, (_, i) => fieldText(r, i))]), { delimiter });
  const bytes = Buffer.from(input);
  for (let at = 0; at < bytes.length; at += Math.min(size, bytes.length)) scanner.push(bytes.subarray(at, at + Math.min(size, bytes.length)));
  scanner.end();
  return found;
}

const RFC_4180 = '\ufeffid,note,n\r\n1,"a, b",2\r\n2,"say ""hi""\r\nthere",\r\n\r\n3,,"4"\n4,x,5';
const EXPECTED: [number, string[]][] = [
  [1, ['id', 'note', 'n']],
  [2, ['1', 'a, b', '2']],
  [3, ['2', 'say "hi"\r\nthere', '']],
  [6, ['3', '', '4']],
  [7, ['4', 'x', '5']],
];

describe('CsvScanner', () => {
  it('reads RFC 4180: quoted delimiters, doubled quotes, line ends inside quotes, CRLF, BOM, blank lines, no final line end', () => {
    expect(records(RFC_4180)).toEqual(EXPECTED);
  });

  it('gives the same records however the input is cut into chunks', () => {
    for (const size of [1, 2, 3, 5, 7, 16]) expect(records(RFC_4180, size)).toEqual(EXPECTED);
  });

  it('takes LF, CRLF and bare CR line ends, and another delimiter', () => {
    expect(records('a;b\r1;2\n3;"4;5"\r\n', 1, ';').map(([, fields]) => fields)).toEqual([['a', 'b'], ['1', '2'], ['3', '4;5']]);
  });

  it('keeps empty fields and a quoted empty field apart from a blank line', () => {
    expect(records('a,b\n,\n""\n\n').map(([, fields]) => fields)).toEqual([['a', 'b'], ['', ''], ['']]);
  });

  it('refuses a quote inside an unquoted field, and text after a closing quote, naming line and field', () => {
    expect(() => records('a,b\n1,2 "x"\n')).toThrow(expect.objectContaining({ code: 'DATASET.MALFORMED_CSV', message: expect.stringMatching(/^line 2: field 2 has a quote inside an unquoted value/) }));
    expect(() => records('a,b\n"1"x,2\n', 2)).toThrow(expect.objectContaining({ code: 'DATASET.MALFORMED_CSV', message: expect.stringMatching(/^line 2: field 1 has text after its closing quote/) }));
  });

  it('refuses a quoted field the input never closes, naming the line it opens on', () => {
    expect(() => records('a\n"open\nstill\n', 4)).toThrow(expect.objectContaining({ message: expect.stringMatching(/^line 2: the file ends inside a quoted field/) }));
  });

  it('refuses a record longer than the limit instead of buffering it forever', () => {
    const scanner = new CsvScanner(() => undefined, { maxRecordBytes: 10 });
    expect(() => scanner.push(Buffer.from('"' + 'x'.repeat(20)))).toThrow(expect.objectContaining({ code: 'DATASET.LINE_TOO_LONG' }));
  });

  it('refuses a delimiter that cannot work', () => {
    for (const delimiter of ['"', '\n', ';;', 'é']) expect(() => new CsvScanner(() => undefined, { delimiter })).toThrow(expect.objectContaining({ code: 'DATASET.MALFORMED_CSV' }));
  });

  it('reads many fields per record (growing its field arrays)', () => {
    const wide = Array.from({ length: 300 }, (_, i) => `c${i}`).join(',');
    expect(records(`${wide}\n${wide}\n`)[1]![1]).toHaveLength(300);
  });

  it('reads plain decimals of unquoted fields while scanning, exactly as Number() does, NaN for anything else', () => {
    const fields = ['42', '-0', '-12.5', '0.1', '1.', '007', '1e5', '"3"', 'x1', '', '+7', '.5', '1234567890123456', ' 4'];
    const wide = Array.from({ length: 70 }, (_, i) => String(i * 1.5)).join(',');
    const seen: number[][] = [];
    const scanner = new CsvScanner((r) => seen.push(Array.from(r.values.subarray(0, r.count))));
    const bytes = Buffer.from(`${fields.join(',')}\n${wide}\n`);
    for (let at = 0; at < bytes.length; at += 3) scanner.push(bytes.subarray(at, at + 3));
    scanner.end();
    expect(seen[0]).toEqual([42, -0, -12.5, 0.1, 1, 7, NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN]);
    expect(Object.is(seen[0]![1], -0)).toBe(true);
    expect(seen[1]).toEqual(Array.from({ length: 70 }, (_, i) => i * 1.5));
  });
});
