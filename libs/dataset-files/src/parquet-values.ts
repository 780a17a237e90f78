import { isUtf8 } from 'node:buffer';

/**
 * A Parquet value as a plain JSON-compatible one, so that rows from every format can be profiled,
 * hashed and serialised alike: INT64 becomes a number (or decimal text beyond 2^53), a timestamp or
 * date its ISO-8601 text, and bytes without a string annotation their text when they are UTF-8,
 * base64 otherwise. Nested groups and lists are converted member by member.
 */
export function jsonCompatible(value: unknown): unknown {
  if (typeof value === 'bigint') return Number.isSafeInteger(Number(value)) ? Number(value) : value.toString();
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  if (value instanceof Uint8Array) {
    const bytes = Buffer.from(value.buffer, value.byteOffset, value.byteLength);
    return isUtf8(bytes) ? bytes.toString('utf8') : bytes.toString('base64');
  }
  if (Array.isArray(value)) return value.map(jsonCompatible);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, member]) => [key, jsonCompatible(member)]));
  }
  return value;
}
