import type { ArchiveEntry } from './archive-entry';
import { ArchiveError } from './zip-archive';

const field = (block: Buffer, from: number, length: number) => block.subarray(from, from + length).toString('utf8').replace(/\0.*$/s, '');

/** True when the bytes start with a ustar header. */
export const isTar = (bytes: Buffer) => bytes.length >= 512 && bytes.subarray(257, 262).toString('latin1') === 'ustar';

/** The members of a (decompressed) tar archive, from their headers. */
export function tarEntries(bytes: Buffer): ArchiveEntry[] {
  const entries: ArchiveEntry[] = [];
  let at = 0;
  let longName: string | null = null;
  while (at + 512 <= bytes.length) {
    const block = bytes.subarray(at, at + 512);
    if (block.every((b) => b === 0)) break;
    const size = Number.parseInt(field(block, 124, 12).trim() || '0', 8);
    if (!Number.isFinite(size) || size < 0) throw new ArchiveError(`corrupt size in the header at byte ${at}`);
    const type = String.fromCharCode(block[156]!);
    const prefix = field(block, 345, 155);
    const data = bytes.subarray(at + 512, at + 512 + size);
    at += 512 + Math.ceil(size / 512) * 512;
    if (type === 'L') { longName = data.toString('utf8').replace(/\0.*$/s, ''); continue; }
    if (type === 'x' || type === 'g') continue;
    const name = longName ?? (prefix ? `${prefix}/${field(block, 0, 100)}` : field(block, 0, 100));
    longName = null;
    entries.push({
      name, declaredBytes: size, compressedBytes: size, symlink: type === '2' || type === '1', directory: type === '5',
      read: (maxBytes) => data.subarray(0, Math.min(data.length, maxBytes + 1)),
    });
  }
  return entries;
}
