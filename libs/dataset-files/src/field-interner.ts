import { type CsvRecord, FieldKind, fieldText } from './csv-scanner';

const SLOTS = 4096;
const MAX_ENTRIES = SLOTS / 2;
const MAX_FIELD_BYTES = 64;

/**
 * The text of a column's fields, made once per distinct value: a field whose bytes were seen before
 * gets the same string back without decoding them again. Columns with many distinct values stop
 * interning (and decode every field) once the table is half full.
 */
export class FieldInterner {
  private readonly hashes = new Int32Array(SLOTS);
  private readonly keys: (Buffer | undefined)[] = new Array(SLOTS);
  private readonly texts: string[] = new Array(SLOTS);
  private entries = 0;

  text(record: CsvRecord, i: number): string {
    const start = record.starts[i]!;
    const end = record.ends[i]!;
    if (this.entries >= MAX_ENTRIES || end - start > MAX_FIELD_BYTES || record.kinds[i] === FieldKind.Escaped) return fieldText(record, i);
    const bytes = record.bytes;
    let hash = 0x811c9dc5 | 0;
    for (let j = start; j < end; j += 1) hash = Math.imul(hash ^ bytes[j]!, 0x01000193);
    for (let slot = hash & (SLOTS - 1); ; slot = (slot + 1) & (SLOTS - 1)) {
      const key = this.keys[slot];
      if (key === undefined) {
        const text = fieldText(record, i);
        this.keys[slot] = Buffer.from(bytes.subarray(start, end));
        this.hashes[slot] = hash;
        this.texts[slot] = text;
        this.entries += 1;
        return text;
      }
      if (this.hashes[slot] === hash && sameBytes(key, bytes, start, end)) return this.texts[slot]!;
    }
  }
}

function sameBytes(key: Buffer, bytes: Buffer, start: number, end: number): boolean {
  if (key.length !== end - start) return false;
  for (let j = 0; j < key.length; j += 1) if (key[j] !== bytes[start + j]) return false;
  return true;
}
