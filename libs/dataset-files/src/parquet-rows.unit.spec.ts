import { ParquetSchema, ParquetWriter } from '@dsnp/parquetjs';
import { join } from 'node:path';
import { collect, FIXTURES, tempDirForSpec } from '../test/temp-dir';
import { readRows } from './read-rows';

const PEOPLE = [
  { id: 1, name: 'Ada', age: 36, score: 0.5, active: true, team: 'red', joined: '2024-01-15T10:30:00.000Z', born: '1990-03-01' },
  { id: 2, name: 'Zoë', age: 41, score: 1.25, active: false, team: 'blue', joined: '2024-01-15T10:30:00.000Z', born: '1990-03-01' },
  { id: 3, name: 'Grace', age: null, score: -3, active: true, team: 'red', joined: '2024-01-15T10:30:00.000Z', born: '1990-03-01' },
  { id: 4, name: null, age: 29, score: 2, active: null, team: 'red', joined: '2024-01-15T10:30:00.000Z', born: '1990-03-01' },
  // 2^53 + 1 does not fit a double, so it stays exact as decimal text.
  { id: '9007199254740993', name: 'Linus', age: 55, score: 0, active: false, team: 'blue', joined: '2024-01-15T10:30:00.000Z', born: '1990-03-01' },
];

describe('readRows(parquet)', () => {
  const files = tempDirForSpec();

  it.each(['people.snappy.parquet', 'people.gzip.parquet'])('reads %s written by pyarrow across its row groups, as plain JSON values', async (name) => {
    expect(await collect(readRows(join(FIXTURES, name), 'parquet'))).toEqual(PEOPLE);
  });

  it('reads many row groups written by parquetjs, one group at a time', async () => {
    const path = join(files.dir(), 'many.parquet');
    const schema = new ParquetSchema({ n: { type: 'INT32' }, label: { type: 'UTF8', optional: true } });
    const writer = await ParquetWriter.openFile(schema, path, { rowGroupSize: 100 });
    for (let n = 0; n < 1_050; n += 1) await writer.appendRow(n % 7 === 0 ? { n } : { n, label: `row ${n}` });
    await writer.close();
    const rows = await collect(readRows(path, 'parquet'));
    expect(rows).toHaveLength(1_050);
    expect(rows[1_049]).toEqual({ n: 1_049, label: 'row 1049' });
    expect(rows[7]).toEqual({ n: 7, label: null });
  });

  it('refuses a file with a schema and no rows, and a zero-byte file', async () => {
    await expect(collect(readRows(join(FIXTURES, 'no-rows.parquet'), 'parquet'))).rejects.toMatchObject({ code: 'DATASET.EMPTY', message: expect.stringContaining('no rows') });
    await expect(collect(readRows(files.write('zero.parquet', ''), 'parquet'))).rejects.toMatchObject({ code: 'DATASET.EMPTY' });
  });

  it('refuses a file that is not Parquet', async () => {
    await expect(collect(readRows(files.write('fake.parquet', 'a,b\n1,2\n'), 'parquet'))).rejects.toMatchObject({
      code: 'DATASET.MALFORMED_PARQUET',
      message: expect.stringContaining('is not a readable Parquet file'),
    });
  });

  it('refuses a codec it cannot decode, naming it and what to use instead', async () => {
    await expect(collect(readRows(join(FIXTURES, 'zstd.parquet'), 'parquet'))).rejects.toMatchObject({
      code: 'DATASET.MALFORMED_PARQUET',
      message: expect.stringContaining('is compressed with ZSTD, which is not read here; write it with snappy, gzip, brotli or no compression'),
    });
  });

  it('reports a missing file as DATASET.UNREADABLE', async () => {
    await expect(collect(readRows(join(files.dir(), 'absent.parquet'), 'parquet'))).rejects.toMatchObject({ code: 'DATASET.UNREADABLE' });
  });
});
