import { ParquetReader } from '@dsnp/parquetjs';
import { stat } from 'node:fs/promises';
import { datasetFileError } from './dataset-file-error';
import { jsonCompatible } from './parquet-values';

type ParquetCursor = ReturnType<ParquetReader['getCursor']>;

async function openParquet(path: string): Promise<ParquetReader> {
  if ((await stat(path)).size === 0) throw datasetFileError('DATASET.EMPTY', `${path} is empty: a Parquet dataset needs at least one row`);
  try {
    // Spark and older pyarrow write timestamps as INT96; read them as timestamps, not opaque numbers.
    return await ParquetReader.openFile(path, { treatInt96AsTimestamp: true });
  } catch (error) {
    throw datasetFileError('DATASET.MALFORMED_PARQUET', `${path} is not a readable Parquet file (${(error as Error).message})`);
  }
}

function undecodable(path: string, error: unknown): Error {
  const message = (error as Error).message;
  const codec = /invalid compression method: (\w+)/.exec(message)?.[1];
  if (codec) {
    return datasetFileError('DATASET.MALFORMED_PARQUET', `${path} is compressed with ${codec}, which is not read here; write it with snappy, gzip, brotli or no compression`);
  }
  return datasetFileError('DATASET.MALFORMED_PARQUET', `${path}: a row group cannot be decoded (${message})`);
}

async function nextRecord(cursor: ParquetCursor, path: string): Promise<object | null> {
  try {
    return ((await cursor.next()) as object | null) ?? null;
  } catch (error) {
    throw undecodable(path, error);
  }
}

/** Top-level DATE columns: the reader gives them as midnight-UTC timestamps, but they are calendar days. */
function dateColumns(reader: ParquetReader): string[] {
  return Object.entries(reader.getSchema().fields)
    .filter(([, field]) => field.originalType === 'DATE')
    .map(([name]) => name);
}

/**
 * Records of a Parquet file. The reader fetches one row group at a time by file offset, so memory
 * follows the writer's row-group size, never the file's size.
 */
export async function* readParquetRows(path: string): AsyncGenerator<Record<string, unknown>> {
  const reader = await openParquet(path);
  try {
    if (Number(reader.getRowCount()) === 0) throw datasetFileError('DATASET.EMPTY', `${path} has a schema but no rows`);
    const days = dateColumns(reader);
    const cursor = reader.getCursor();
    for (let record = await nextRecord(cursor, path); record !== null; record = await nextRecord(cursor, path)) {
      const row = jsonCompatible(record) as Record<string, unknown>;
      for (const name of days) if (typeof row[name] === 'string') row[name] = row[name].slice(0, 10);
      yield row;
    }
  } finally {
    await reader.close();
  }
}
