import { join } from 'node:path';
import { Readable } from 'node:stream';
import { mkdirSync, readdirSync } from 'node:fs';
import { profileColumns } from '@mgov/stats';
import { collect, FIXTURES, tempDirForSpec } from '../test/temp-dir';
import { hashAndStage } from './hash-and-stage';
import { csvProfileTap, profileDatasetFile } from './profile-file';
import { readRows } from './read-rows';

const CSV = [
  'id,income,region,score,note,when',
  ...Array.from({ length: 300 }, (_, i) => [
    i, i % 9 === 0 ? '' : (i * 37.25) % 1000, ['north', 'south', '"east"'][i % 3], i % 11 === 0 ? 'n/a' : ` ${i % 5} `,
    i % 4 === 0 ? '"say ""hi"""' : `1e${i % 3}`, `2024-0${1 + (i % 9)}-1${i % 10}`,
  ].join(',')),
].join('\n');

describe('profileDatasetFile', () => {
  const files = tempDirForSpec();

  it('profiles CSV from its bytes exactly as profileColumns profiles the rows', async () => {
    const path = files.write('mixed.csv', CSV);
    const profile = await profileDatasetFile(path, 'csv');
    expect(profile.rowCount).toBe(300);
    expect(profile.columns).toEqual(['id', 'income', 'region', 'score', 'note', 'when']);
    expect(profile.profiles).toEqual(profileColumns(await collect(readRows(path, 'csv'))));
    expect(profile.summaries.map((s) => s.type)).toEqual(['integer', 'number', 'string', 'string', 'string', 'date']);
  });

  it('profiles JSON Lines and Parquet the same way', async () => {
    const lines = [{ a: 1, b: 'x', c: { nested: true } }, { a: 2.5, d: null }, { a: '3', b: true }].map((row) => JSON.stringify(row)).join('\n');
    const path = files.write('rows.jsonl', lines);
    const profile = await profileDatasetFile(path, 'jsonl');
    expect(profile.profiles).toEqual(profileColumns(await collect(readRows(path, 'jsonl'))));
    expect(profile.summaries.map((s) => [s.name, s.type])).toEqual([['a', 'number'], ['b', 'string'], ['c', 'json'], ['d', 'empty']]);
    const parquet = join(FIXTURES, 'people.snappy.parquet');
    expect((await profileDatasetFile(parquet, 'parquet')).profiles).toEqual(profileColumns(await collect(readRows(parquet, 'parquet'))));
  });

  it('names the file by its label in refusals', async () => {
    const path = files.write('ragged.csv', 'a,b\n1\n');
    await expect(profileDatasetFile(path, 'csv', { label: 'the upload' })).rejects.toMatchObject({ code: 'DATASET.RAGGED_ROW' });
    await expect(profileDatasetFile(files.write('empty.csv', ''), 'csv', { label: 'the upload' })).rejects.toMatchObject({ message: expect.stringMatching(/^the upload is empty/) });
  });
});

describe('csvProfileTap', () => {
  const files = tempDirForSpec();

  it('profiles CSV while it is staged, in one read, however the upload is chunked', async () => {
    mkdirSync(join(files.dir(), 'staging'));
    const bytes = Buffer.from(CSV);
    const chunks = Array.from({ length: Math.ceil(bytes.length / 777) }, (_, i) => bytes.subarray(i * 777, (i + 1) * 777));
    const tap = csvProfileTap();
    const staged = await hashAndStage(Readable.from(chunks), { tempDir: join(files.dir(), 'staging'), maxBytes: 1e9, through: tap.transforms });
    expect(await tap.result(staged.tempPath)).toEqual(await profileDatasetFile(staged.tempPath, 'csv'));
  });

  it('aborts staging at the first refusal and leaves no file behind', async () => {
    mkdirSync(join(files.dir(), 'aborted'));
    const tap = csvProfileTap({ label: 'the upload' });
    const staging = hashAndStage(Readable.from([Buffer.from('a,b\n1,2\n'), Buffer.from('3\n')]), { tempDir: join(files.dir(), 'aborted'), maxBytes: 1e9, through: tap.transforms });
    await expect(staging).rejects.toMatchObject({ code: 'DATASET.RAGGED_ROW', message: expect.stringMatching(/^line 3: /) });
    const latin1 = csvProfileTap();
    await expect(hashAndStage(Readable.from([Buffer.from([0x61, 0x0a, 0xe9, 0x0a])]), { tempDir: join(files.dir(), 'aborted'), maxBytes: 1e9, through: latin1.transforms }))
      .rejects.toMatchObject({ code: 'DATASET.BAD_ENCODING' });
    const empty = csvProfileTap({ label: 'the upload' });
    await expect(hashAndStage(Readable.from([]), { tempDir: join(files.dir(), 'aborted'), maxBytes: 1e9, through: empty.transforms }))
      .rejects.toMatchObject({ code: 'DATASET.EMPTY', message: 'the upload is empty: a CSV dataset needs a header line and at least one row' });
    expect(readdirSync(join(files.dir(), 'aborted'))).toEqual([]);
  });
});
