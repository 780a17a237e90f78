import { POWERS_OF_TEN } from './csv-number';
import { type CsvRecord, type CsvScannerOptions, DEFAULT_MAX_RECORD_BYTES, FieldKind, growFields } from './csv-record';
import { datasetFileError } from './dataset-file-error';

// Bound once: an imported binding is a getter in the CommonJS these files run as, too slow per field.
const POW10: readonly number[] = POWERS_OF_TEN;
const PLAIN: number = FieldKind.Plain;
const QUOTED: number = FieldKind.Quoted;
const ESCAPED: number = FieldKind.Escaped;

export * from './csv-record';

const QUOTE = 0x22;
const LF = 0x0a;
const CR = 0x0d;

const NEED_MORE = -1;

/**
 * RFC 4180 CSV over raw bytes, pushed chunk by chunk: no string is made unless the consumer asks
 * for one, which is what lets a profile of a large file run near the speed of the disk. Accepts LF,
 * CRLF and CR line ends and a byte-order mark; skips blank lines; refuses a quote inside an unquoted
 * field, text after a closing quote and a quoted field the file never closes (as csv-parse does).
 */
export class CsvScanner {
  private readonly delimiter: number;
  /** 1 for the bytes that end or break an unquoted field: one table load per byte in the hot loop. */
  private readonly special = new Uint8Array(256);
  private readonly maxRecordBytes: number;
  private readonly record: CsvRecord = {
    bytes: Buffer.alloc(0), count: 0, starts: new Int32Array(64), ends: new Int32Array(64), kinds: new Uint8Array(64), values: new Float64Array(64), line: 1,
  };
  private carry: Buffer | null = null;
  private line = 1;
  private first = true;

  constructor(private readonly onRecord: (record: CsvRecord) => void, options: CsvScannerOptions = {}) {
    const delimiter = options.delimiter ?? ',';
    if (delimiter.length !== 1 || delimiter.charCodeAt(0) > 0x7f || '"\r\n'.includes(delimiter)) {
      throw datasetFileError('DATASET.MALFORMED_CSV', `the delimiter must be one ASCII character other than a quote or a line end, got ${JSON.stringify(delimiter)}`);
    }
    this.delimiter = delimiter.charCodeAt(0);
    for (const byte of [this.delimiter, QUOTE, LF, CR]) this.special[byte] = 1;
    this.maxRecordBytes = options.maxRecordBytes ?? DEFAULT_MAX_RECORD_BYTES;
  }

  push(chunk: Buffer): void {
    let bytes = this.carry ? Buffer.concat([this.carry, chunk]) : chunk;
    this.carry = null;
    if (this.first) {
      if (bytes.length < 3 && bytes.every((b, i) => b === [0xef, 0xbb, 0xbf][i])) {
        this.carry = Buffer.from(bytes);
        return;
      }
      this.first = false;
      if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) bytes = bytes.subarray(3);
    }
    const consumed = this.scan(bytes, false);
    if (consumed < bytes.length) {
      if (bytes.length - consumed > this.maxRecordBytes) {
        throw datasetFileError('DATASET.LINE_TOO_LONG', `line ${this.line}: a record is longer than ${this.maxRecordBytes} bytes; check for a quote that is never closed`);
      }
      this.carry = Buffer.from(bytes.subarray(consumed));
    }
  }

  /** Ends the input: a last record without a line end is complete now. */
  end(): void {
    const rest = this.carry ?? Buffer.alloc(0);
    this.carry = null;
    this.first = false;
    if (rest.length > 0) this.scan(rest, true);
  }

  /** Scans whole records from `bytes`; returns how many bytes they took. */
  private scan(bytes: Buffer, final: boolean): number {
    const record = this.record;
    record.bytes = bytes;
    let at = 0;
    while (at < bytes.length) {
      const next = this.scanRecord(bytes, at, final);
      if (next === NEED_MORE) return at;
      at = next;
    }
    return at;
  }

  /** Scans one record from `start`; returns the offset after its line end, or NEED_MORE. */
  private scanRecord(b: Buffer, start: number, final: boolean): number {
    const record = this.record;
    const length = b.length;
    const delimiter = this.delimiter;
    const special = this.special;
    let { starts, ends, kinds, values } = record;
    let lines = 0;
    let count = 0;
    let i = start;
    for (;;) {
      if (count === starts.length) {
        growFields(record);
        ({ starts, ends, kinds, values } = record);
      }
      let kind = PLAIN;
      let fieldStart = i;
      let fieldEnd: number;
      let value = Number.NaN;
      if (i < length && b[i] === QUOTE) {
        kind = QUOTED;
        fieldStart = i + 1;
        let j = fieldStart;
        for (;;) {
          const q = b.indexOf(QUOTE, j);
          if (q === -1 || (q + 1 === length && !final)) {
            if (!final) return NEED_MORE;
            throw datasetFileError('DATASET.MALFORMED_CSV', `line ${this.line + lines}: the file ends inside a quoted field that opens on this line; close the quote`);
          }
          for (let lf = b.indexOf(LF, j); lf !== -1 && lf < q; lf = b.indexOf(LF, lf + 1)) lines += 1;
          if (b[q + 1] === QUOTE) {
            kind = ESCAPED;
            j = q + 2;
            continue;
          }
          fieldEnd = q;
          i = q + 1;
          break;
        }
        const after = i < length ? b[i] : -1;
        if (after !== -1 && after !== delimiter && after !== LF && after !== CR) {
          throw datasetFileError('DATASET.MALFORMED_CSV', `line ${this.line + lines}: field ${count + 1} has text after its closing quote; quote the whole field and double any quote inside it`);
        }
      } else {
        let c = i < length ? b[i]! : 0;
        // A plain decimal is read on the way (no second pass over its bytes); see numberAt for why it is exact.
        if ((c >= 0x30 && c <= 0x39) || c === 0x2d) {
          const negative = c === 0x2d;
          let j = negative ? i + 1 : i;
          let mantissa = 0;
          let digits = 0;
          let fraction = 0;
          while (j < length && (c = b[j]!) >= 0x30 && c <= 0x39) {
            mantissa = mantissa * 10 + (c - 0x30);
            digits += 1;
            j += 1;
          }
          if (j < length && c === 0x2e) {
            j += 1;
            while (j < length && (c = b[j]!) >= 0x30 && c <= 0x39) {
              mantissa = mantissa * 10 + (c - 0x30);
              digits += 1;
              fraction += 1;
              j += 1;
            }
          }
          if ((j === length || special[b[j]!] !== 0) && digits > 0 && digits <= 15) {
            const magnitude = fraction === 0 ? mantissa : mantissa / POW10[fraction]!;
            value = negative ? -magnitude : magnitude;
          }
          i = j;
        }
        while (i < length && special[b[i]!] === 0) i += 1;
        if (i < length && b[i] === QUOTE) {
          throw datasetFileError('DATASET.MALFORMED_CSV', `line ${this.line + lines}: field ${count + 1} has a quote inside an unquoted value; quote the whole field and double any quote inside it`);
        }
        fieldEnd = i;
      }
      starts[count] = fieldStart;
      ends[count] = fieldEnd;
      kinds[count] = kind;
      values[count] = value;
      count += 1;
      if (i >= length) {
        if (!final) return NEED_MORE;
        this.emit(count, lines, start, i);
        return i;
      }
      const c = b[i]!;
      if (c === delimiter) {
        i += 1;
        continue;
      }
      // A CR as the last byte may be half of a CRLF: wait for the next chunk to tell.
      if (c === CR && i + 1 === length && !final) return NEED_MORE;
      const next = c === CR && b[i + 1] === LF ? i + 2 : i + 1;
      this.emit(count, lines, start, i);
      this.line += 1;
      return next;
    }
  }

  private emit(count: number, lines: number, start: number, end: number): void {
    const record = this.record;
    record.line = this.line;
    this.line += lines;
    // A blank line is no record (csv-parse's skip_empty_lines).
    if (count === 1 && end === start) return;
    record.count = count;
    this.onRecord(record);
  }
}
