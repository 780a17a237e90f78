import { inflateRawSync } from 'node:zlib';
import type { ArchiveEntry } from './archive-entry';

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
const S_IFMT = 0o170000;
const S_IFLNK = 0o120000;

export class ArchiveError extends Error {}

/** The central directory of a zip (PyTorch, Keras, plain zip), read without extracting anything. */
export function zipEntries(bytes: Buffer): ArchiveEntry[] {
  const searchFrom = Math.max(0, bytes.length - 22 - 0xffff);
  let eocd = -1;
  for (let i = bytes.length - 22; i >= searchFrom; i--) {
    if (bytes.readUInt32LE(i) === EOCD) { eocd = i; break; }
  }
  if (eocd < 0) throw new ArchiveError('no end of central directory record');
  const count = bytes.readUInt16LE(eocd + 10);
  let at = bytes.readUInt32LE(eocd + 16);
  if (count === 0xffff || at === 0xffffffff) throw new ArchiveError('zip64 archives are not supported');
  const entries: ArchiveEntry[] = [];
  for (let i = 0; i < count; i++) {
    if (at + 46 > bytes.length || bytes.readUInt32LE(at) !== CENTRAL) throw new ArchiveError(`central directory entry ${i} is corrupt`);
    const madeBy = bytes.readUInt16LE(at + 4) >> 8;
    const flags = bytes.readUInt16LE(at + 8);
    const method = bytes.readUInt16LE(at + 10);
    const compressedBytes = bytes.readUInt32LE(at + 20);
    const declaredBytes = bytes.readUInt32LE(at + 24);
    const nameLength = bytes.readUInt16LE(at + 28);
    const skip = nameLength + bytes.readUInt16LE(at + 30) + bytes.readUInt16LE(at + 32);
    const mode = bytes.readUInt32LE(at + 38) >>> 16;
    const localOffset = bytes.readUInt32LE(at + 42);
    const name = bytes.subarray(at + 46, at + 46 + nameLength).toString('utf8');
    if (compressedBytes === 0xffffffff || declaredBytes === 0xffffffff) throw new ArchiveError('zip64 archives are not supported');
    if (flags & 1) throw new ArchiveError(`member ${name} is encrypted`);
    const read = (maxBytes: number): Buffer => {
      if (localOffset + 30 > bytes.length || bytes.readUInt32LE(localOffset) !== LOCAL) throw new ArchiveError(`local header of ${name} is corrupt`);
      const start = localOffset + 30 + bytes.readUInt16LE(localOffset + 26) + bytes.readUInt16LE(localOffset + 28);
      const data = bytes.subarray(start, start + compressedBytes);
      if (method === 0) return data.subarray(0, Math.min(data.length, maxBytes + 1));
      if (method === 8) return inflateRawSync(data, { maxOutputLength: maxBytes + 1 });
      throw new ArchiveError(`member ${name} uses compression method ${method}`);
    };
    entries.push({ name, declaredBytes, compressedBytes, symlink: madeBy === 3 && (mode & S_IFMT) === S_IFLNK, directory: name.endsWith('/'), read });
    at += 46 + skip;
  }
  return entries;
}
