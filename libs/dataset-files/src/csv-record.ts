/** How a field was written: plain, quoted, or quoted with doubled quotes inside (needs unescaping). */
export const FieldKind = { Plain: 0, Quoted: 1, Escaped: 2 } as const;
export type FieldKind = (typeof FieldKind)[keyof typeof FieldKind];

/**
 * One record as byte ranges into `bytes`. The arrays are reused for the next record, so a consumer
 * reads what it needs inside its callback and keeps nothing.
 */
export interface CsvRecord {
  bytes: Buffer;
  count: number;
  starts: Int32Array;
  ends: Int32Array;
  kinds: Uint8Array;
  /** The value of each unquoted field that is a plain decimal (`-12.5`), read while scanning; NaN otherwise. */
  values: Float64Array;
  /** The line the record starts on (1-based, counting lines inside quoted fields). */
  line: number;
}

export interface CsvScannerOptions {
  /** One ASCII byte; default `,`. */
  readonly delimiter?: string;
  /** A record longer than this is refused, so that one endless quoted field cannot exhaust memory. */
  readonly maxRecordBytes?: number;
}

export const DEFAULT_MAX_RECORD_BYTES = 16 * 1024 * 1024;

const ESCAPED: number = FieldKind.Escaped;

/** The text of field `i` of `record`, quotes removed and doubled quotes undone. */
export function fieldText(record: CsvRecord, i: number): string {
  const text = record.bytes.toString('utf8', record.starts[i], record.ends[i]);
  return record.kinds[i] === ESCAPED ? text.replace(/""/g, '"') : text;
}

/** Doubles a record's field arrays, keeping the fields already scanned. */
export function growFields(record: CsvRecord): void {
  const size = record.starts.length * 2;
  const grown = <T extends Int32Array | Uint8Array | Float64Array>(from: T, to: T): T => {
    to.set(from);
    return to;
  };
  record.starts = grown(record.starts, new Int32Array(size));
  record.ends = grown(record.ends, new Int32Array(size));
  record.kinds = grown(record.kinds, new Uint8Array(size));
  record.values = grown(record.values, new Float64Array(size));
}
