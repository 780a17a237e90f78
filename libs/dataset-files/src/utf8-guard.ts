import { isUtf8 } from 'node:buffer';
import { Transform, type TransformCallback } from 'node:stream';
import { datasetFileError } from './dataset-file-error';

const NEWLINE = 0x0a;

/** Bytes in the UTF-8 sequence a lead byte starts; 0 when it cannot start one. */
function sequenceLength(lead: number): number {
  if (lead < 0x80) return 1;
  if (lead >= 0xc2 && lead <= 0xdf) return 2;
  if (lead >= 0xe0 && lead <= 0xef) return 3;
  if (lead >= 0xf0 && lead <= 0xf4) return 4;
  return 0;
}

/** How many bytes at the end begin a character that the next chunk may complete. */
function incompleteTailLength(bytes: Uint8Array): number {
  for (let back = 1; back <= Math.min(3, bytes.length); back += 1) {
    const byte = bytes[bytes.length - back]!;
    if ((byte & 0xc0) === 0x80) continue;
    return sequenceLength(byte) > back ? back : 0;
  }
  return 0;
}

/** Offset of the first byte that is not part of a well-formed UTF-8 character (only called once a check failed). */
function firstInvalidOffset(bytes: Buffer): number {
  let offset = 0;
  while (offset < bytes.length) {
    const length = sequenceLength(bytes[offset]!);
    if (length === 0 || offset + length > bytes.length || !isUtf8(bytes.subarray(offset, offset + length))) return offset;
    offset += length;
  }
  return offset;
}

function countNewlines(bytes: Buffer, end = bytes.length): number {
  let count = 0;
  for (let at = bytes.indexOf(NEWLINE); at !== -1 && at < end; at = bytes.indexOf(NEWLINE, at + 1)) count += 1;
  return count;
}

/**
 * Passes bytes through unchanged after checking they are UTF-8, so that a mis-encoded file is refused
 * (naming its line) instead of being read with U+FFFD replacement characters. Checking the raw bytes
 * keeps the parser downstream working on Buffers, without a decode and re-encode.
 */
export function utf8Guard(): Transform {
  let pending: Buffer = Buffer.alloc(0);
  let linesBefore = 0;
  let bytesBefore = 0;
  const refuse = (bytes: Buffer, offset: number, why: string) =>
    datasetFileError(
      'DATASET.BAD_ENCODING',
      `line ${linesBefore + countNewlines(bytes, offset) + 1}: ${why} at byte ${bytesBefore + offset}; save the file as UTF-8`,
    );
  return new Transform({
    transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback) {
      const bytes = pending.length > 0 ? Buffer.concat([pending, chunk]) : chunk;
      const complete = bytes.subarray(0, bytes.length - incompleteTailLength(bytes));
      if (!isUtf8(complete)) return done(refuse(complete, firstInvalidOffset(complete), 'bytes are not valid UTF-8'));
      pending = Buffer.from(bytes.subarray(complete.length));
      linesBefore += countNewlines(complete);
      bytesBefore += complete.length;
      done(null, complete.length > 0 ? complete : undefined);
    },
    flush(done: TransformCallback) {
      if (pending.length > 0) return done(refuse(pending, 0, 'the file ends inside a multi-byte character'));
      done();
    },
  });
}
