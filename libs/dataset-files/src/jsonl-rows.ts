import { createReadStream } from 'node:fs';
import { pipeline } from 'node:stream';
import { datasetFileError } from './dataset-file-error';
import { utf8Guard } from './utf8-guard';

export interface JsonLinesReadOptions {
  /** Longest line accepted, in bytes (default 16 MiB), so one endless line cannot exhaust memory. */
  readonly maxLineBytes?: number;
}

export const DEFAULT_MAX_LINE_BYTES = 16 * 1024 * 1024;
const NEWLINE = 0x0a;

/** Splits a byte stream into lines (without `\n` or a trailing `\r`), numbered from 1. */
async function* numberedLines(chunks: AsyncIterable<Buffer>, maxLineBytes: number): AsyncGenerator<[number, string]> {
  let partial: Buffer[] = [];
  let partialBytes = 0;
  let lineNumber = 0;
  const tooLong = () =>
    datasetFileError('DATASET.LINE_TOO_LONG', `line ${lineNumber + 1} is longer than ${maxLineBytes} bytes; JSON Lines needs one record per line`);
  const text = (bytes: Buffer) => {
    const line = bytes.toString('utf8');
    return line.endsWith('\r') ? line.slice(0, -1) : line;
  };
  for await (const chunk of chunks) {
    let start = 0;
    for (let end = chunk.indexOf(NEWLINE); end !== -1; end = chunk.indexOf(NEWLINE, start)) {
      if (partialBytes + end - start > maxLineBytes) throw tooLong();
      const line = partial.length > 0 ? Buffer.concat([...partial, chunk.subarray(start, end)]) : chunk.subarray(start, end);
      partial = [];
      partialBytes = 0;
      lineNumber += 1;
      yield [lineNumber, text(line)];
      start = end + 1;
    }
    if (start < chunk.length) {
      partial.push(chunk.subarray(start));
      partialBytes += chunk.length - start;
      if (partialBytes > maxLineBytes) throw tooLong();
    }
  }
  if (partialBytes > 0) yield [lineNumber + 1, text(Buffer.concat(partial))];
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  return Array.isArray(value) ? 'an array' : `a ${typeof value}`;
}

function parseRecord(lineNumber: number, line: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (error) {
    throw datasetFileError('DATASET.MALFORMED_JSONL', `line ${lineNumber}: not valid JSON (${(error as Error).message}); write one JSON object per line`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw datasetFileError('DATASET.MALFORMED_JSONL', `line ${lineNumber}: expected a JSON object, got ${describe(value)}`);
  }
  return value as Record<string, unknown>;
}

/** Records of a UTF-8 JSON Lines file (one JSON object per line; blank lines skipped), streamed. */
export async function* readJsonLinesRows(path: string, options: JsonLinesReadOptions = {}): AsyncGenerator<Record<string, unknown>> {
  const guarded = utf8Guard();
  pipeline(createReadStream(path), guarded, () => undefined);
  let rows = 0;
  for await (const [lineNumber, line] of numberedLines(guarded, options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES)) {
    const content = lineNumber === 1 ? line.replace(/^\uFEFF/, '') : line;
    if (content.trim() === '') continue;
    rows += 1;
    yield parseRecord(lineNumber, content);
  }
  if (rows === 0) throw datasetFileError('DATASET.EMPTY', `${path} has no records: a JSON Lines dataset needs at least one line holding an object`);
}
