import { formatFromFileName } from './dataset-format';

describe('formatFromFileName', () => {
  it('reads the format from the extension, whatever its case and the path before it', () => {
    expect(formatFromFileName('train.csv')).toBe('csv');
    expect(formatFromFileName('/data/2024.01/Train.CSV')).toBe('csv');
    expect(formatFromFileName('events.jsonl')).toBe('jsonl');
    expect(formatFromFileName('events.ndjson')).toBe('jsonl');
    expect(formatFromFileName('part-0001.snappy.parquet')).toBe('parquet');
  });

  it('refuses unknown, missing and compressed extensions with DATASET.UNKNOWN_FORMAT', () => {
    for (const name of ['train.xlsx', 'README', 'train.csv.gz', 'dir.csv/file', '.csv/']) {
      expect(() => formatFromFileName(name)).toThrow(expect.objectContaining({ code: 'DATASET.UNKNOWN_FORMAT', status: 422 }));
    }
    expect(() => formatFromFileName('train.tsv')).toThrow(/\.csv, \.jsonl, \.ndjson, \.parquet/);
  });
});
