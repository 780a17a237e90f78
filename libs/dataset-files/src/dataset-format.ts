import { datasetFileError } from './dataset-file-error';

export type DatasetFormat = 'csv' | 'jsonl' | 'parquet';

const FORMAT_BY_EXTENSION: Readonly<Record<string, DatasetFormat>> = {
  '.csv': 'csv',
  '.jsonl': 'jsonl',
  '.ndjson': 'jsonl',
  '.parquet': 'parquet',
};

/** The format a file name's extension declares (case-insensitive); DATASET.UNKNOWN_FORMAT otherwise. */
export function formatFromFileName(fileName: string): DatasetFormat {
  const match = /\.[^./\\]+$/.exec(fileName.toLowerCase());
  const format = match ? FORMAT_BY_EXTENSION[match[0]] : undefined;
  if (format) return format;
  const known = Object.keys(FORMAT_BY_EXTENSION).join(', ');
  throw datasetFileError('DATASET.UNKNOWN_FORMAT', `cannot tell the format of "${fileName}": name it with one of ${known} (compressed files are not read)`);
}
