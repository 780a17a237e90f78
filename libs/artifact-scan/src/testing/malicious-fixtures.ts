import { deflateRawSync, gzipSync } from 'node:zlib';

/*
 * Test fixtures built as bytes. The "malicious" ones would run `touch /tmp/mgov-pwned` if a Python
 * process ever unpickled them; nothing here or in the tests loads them, they are only scanned.
 */

const op = (...parts: Array<string | Buffer | number[]>) =>
  Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'latin1') : Buffer.isBuffer(p) ? p : Buffer.from(p))));
const shortUnicode = (text: string) => op([0x8c, Buffer.byteLength(text)], Buffer.from(text, 'utf8'));

export const PWNED_COMMAND = 'touch /tmp/mgov-pwned';

/** Protocol 0: GLOBAL 'os system', then REDUCE with one argument (what `pickle.dumps` of a __reduce__ to os.system writes). */
export const globalOsSystem = () => op('cos\nsystem\n(S\'', PWNED_COMMAND, '\'\ntR.');

/** Protocol 4: STACK_GLOBAL with both names passed through the memo (MEMOIZE, BINGET), as CPython 3.8+ writes it. */
export const stackGlobalViaMemo = (module = 'posix', name = 'system') =>
  op([0x80, 4, 0x95], Buffer.alloc(8), shortUnicode(module), [0x94], shortUnicode(name), [0x94], [0x93, 0x94], shortUnicode(PWNED_COMMAND), [0x94, 0x85, 0x94, 0x52, 0x94, 0x2e]);

/** Protocol 2: builtins.eval through INST. */
export const instBuiltinsEval = () => op([0x80, 2], '(S\'__import__("os").system("', PWNED_COMMAND, '")\'\nibuiltins\neval\n.');

/** STACK_GLOBAL whose module name is computed: the scanner cannot know it, so it must refuse it. */
export const unresolvableStackGlobal = () => op([0x80, 4], shortUnicode('sys'), [0x8c, 1], 'x', [0x86, 0x93, 0x4e, 0x2e]);

/** A harmless protocol-2 pickle of an OrderedDict of floats (the shape of a small state dict). */
export const safeStateDict = () => op([0x80, 2], 'ccollections\nOrderedDict\n', [0x29, 0x52], 'X', [1, 0, 0, 0], 'w', 'G', Buffer.alloc(8, 0x3f), 's.');

export interface ZipMember {
  readonly name: string;
  readonly content: Buffer;
  readonly deflate?: boolean;
  readonly symlink?: boolean;
  /** Lie about the uncompressed size in the central directory (a bomb would). */
  readonly declaredBytes?: number;
}

/** A minimal zip writer (stored or deflated members; unix modes so a member can be a symlink). */
export function zipOf(members: readonly ZipMember[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const m of members) {
    const name = Buffer.from(m.name, 'utf8');
    const data = m.deflate ? deflateRawSync(m.content) : m.content;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0); local.writeUInt16LE(20, 4); local.writeUInt16LE(m.deflate ? 8 : 0, 8);
    local.writeUInt32LE(data.length, 18); local.writeUInt32LE(m.content.length, 22); local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0); central.writeUInt16LE((3 << 8) | 20, 4); central.writeUInt16LE(20, 6); central.writeUInt16LE(m.deflate ? 8 : 0, 10);
    central.writeUInt32LE(data.length, 20); central.writeUInt32LE(m.declaredBytes ?? m.content.length, 24); central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(((m.symlink ? 0o120777 : 0o100644) << 16) >>> 0, 38); central.writeUInt32LE(offset, 42);
    locals.push(local, name, data);
    centrals.push(central, name);
    offset += 30 + name.length + data.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0); end.writeUInt16LE(members.length, 8); end.writeUInt16LE(members.length, 10);
  end.writeUInt32LE(directory.length, 12); end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

/** A PyTorch-style zip (`archive/data.pkl` + storages) around the given data.pkl. */
export const torchZipOf = (dataPkl: Buffer) => zipOf([
  { name: 'archive/data.pkl', content: dataPkl }, { name: 'archive/version', content: Buffer.from('3\n') },
  { name: 'archive/data/0', content: Buffer.alloc(64, 1) },
]);

/** A gzip'd tar with one member, of any type flag ('0' file, '2' symlink). */
export function tarGzOf(members: ReadonlyArray<{ name: string; content?: Buffer; type?: string; link?: string }>): Buffer {
  const blocks: Buffer[] = [];
  for (const m of members) {
    const content = m.content ?? Buffer.alloc(0);
    const header = Buffer.alloc(512);
    header.write(m.name, 0, 100, 'utf8'); header.write('0000644\0', 100); header.write('0000000\0', 108); header.write('0000000\0', 116);
    header.write(`${content.length.toString(8).padStart(11, '0')}\0`, 124); header.write('00000000000\0', 136);
    header.write(m.type ?? '0', 156); header.write(m.link ?? '', 157, 100); header.write('ustar\0', 257); header.write('00', 263);
    header.fill(' ', 148, 156);
    const sum = header.reduce((a, b) => a + b, 0);
    header.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148);
    blocks.push(header, content, Buffer.alloc((512 - (content.length % 512)) % 512));
  }
  return gzipSync(Buffer.concat([...blocks, Buffer.alloc(1024)]));
}

/** A safetensors file with one float32 tensor. */
export function safetensorsOf(): Buffer {
  const header = Buffer.from(JSON.stringify({ weight: { dtype: 'F32', shape: [2], data_offsets: [0, 8] } }));
  const length = Buffer.alloc(8);
  length.writeBigUInt64LE(BigInt(header.length));
  return Buffer.concat([length, header, Buffer.alloc(8)]);
}

/** The first bytes of an ONNX ModelProto (ir_version 8, producer "mgov-test"). */
export const onnxOf = () => op([0x08, 0x08, 0x12, 0x09], 'mgov-test', [0x3a, 0x00]);
