import { DomainError } from '@mgov/decider';

export type DatasetFileErrorCode =
  | 'DATASET.UNKNOWN_FORMAT'
  | 'DATASET.UNREADABLE'
  | 'DATASET.EMPTY'
  | 'DATASET.BAD_ENCODING'
  | 'DATASET.RAGGED_ROW'
  | 'DATASET.MALFORMED_CSV'
  | 'DATASET.DUPLICATE_COLUMN'
  | 'DATASET.MALFORMED_JSONL'
  | 'DATASET.LINE_TOO_LONG'
  | 'DATASET.MALFORMED_PARQUET'
  | 'DATASET.TOO_LARGE';

/** A dataset file that cannot be taken as it is; the message names the line and what to fix. */
export function datasetFileError(code: DatasetFileErrorCode, message: string): DomainError {
  return new DomainError(code, message, code === 'DATASET.TOO_LARGE' ? 413 : 422);
}

/** Whether `error` is a refusal raised by this library (rather than a bug or an I/O failure). */
export function isDatasetFileError(error: unknown): error is DomainError {
  return error instanceof DomainError && error.code.startsWith('DATASET.');
}

const UNREADABLE_REASONS: Record<string, string> = {
  ENOENT: 'no such file',
  EACCES: 'permission denied',
  EISDIR: 'it is a directory',
};

/**
 * Passes our own refusals through; turns a failure to open the dataset at `path` into DATASET.UNREADABLE.
 * Failures on any other path (a missing staging directory) stay as they are: they are the platform's fault.
 */
export function asDatasetFileError(error: unknown, path: string): unknown {
  if (isDatasetFileError(error)) return error;
  const { code, path: failedPath } = (error ?? {}) as NodeJS.ErrnoException;
  // A read of a directory fails with EISDIR and no path; an open names the path it failed on.
  const onDataset = failedPath === undefined || failedPath === path;
  if (code !== undefined && onDataset && Object.hasOwn(UNREADABLE_REASONS, code)) {
    return datasetFileError('DATASET.UNREADABLE', `cannot read ${path}: ${UNREADABLE_REASONS[code]}`);
  }
  return error;
}
