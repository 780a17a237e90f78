import { isDangerousGlobal } from './dangerous-globals';
import { OPCODES } from './pickle-opcodes';

const OPCODE_TABLE = Array.from({ length: 256 }, (_, code) => OPCODES.get(code));
import type { ScanFinding } from './scan-report';

export interface PickleScan {
  readonly globals: readonly string[];
  readonly findings: readonly ScanFinding[];
  /** Where the last complete pickle ended (a STOP), or 0 when none did. */
  readonly end: number;
}

const latin1 = (bytes: Uint8Array, from: number, to: number) => Buffer.from(bytes.buffer, bytes.byteOffset + from, to - from).toString('latin1');
const utf8 = (bytes: Uint8Array, from: number, to: number) => Buffer.from(bytes.buffer, bytes.byteOffset + from, to - from).toString('utf8');

function readLength(view: Buffer, at: number, width: 1 | 4 | 8): number {
  if (width === 1) return view[at]!;
  if (width === 4) return view.readUInt32LE(at);
  const big = view.readBigUInt64LE(at);
  return big > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(big);
}

/**
 * Walks a pickle opcode by opcode, never executing it, and reports every global it would import:
 * GLOBAL and INST name theirs inline; STACK_GLOBAL takes the two strings last pushed (followed through
 * the memo). An operand it cannot resolve, or a stream it cannot parse, is a finding: unknown is unsafe.
 * Consecutive pickles (legacy PyTorch files) are scanned while the next byte starts a protocol 2+ pickle.
 */
export function scanPickle(bytes: Uint8Array, member = '', extraDenied: readonly string[] = []): PickleScan {
  const globals = new Set<string>();
  const findings: ScanFinding[] = [];
  const found = (kind: ScanFinding['kind'], detail: string) => findings.push({ kind, member, detail });
  const imported = (module: string, name: string, via: string) => {
    const global = `${module}.${name}`;
    globals.add(global);
    if (isDangerousGlobal(module, name, extraDenied)) found('dangerous-global', `${via} imports ${global}, which can run code when the model is loaded`);
  };
  const view = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let at = 0;
  let end = 0;
  // STACK_GLOBAL takes the two values pushed last: only those two are tracked (null when not a string).
  let last: string | null = null;
  let beforeLast: string | null = null;
  const memo = new Map<number, string | null>();
  const line = (): string | null => {
    const stop = bytes.indexOf(0x0a, at);
    if (stop < 0) return null;
    const text = latin1(bytes, at, stop);
    at = stop + 1;
    return text;
  };
  while (at < bytes.length) {
    const offset = at;
    const code = bytes[at++]!;
    const opcode = OPCODE_TABLE[code];
    if (!opcode) {
      found('malformed', `unknown opcode 0x${code.toString(16)} at byte ${offset}; the stream cannot be proven safe`);
      break;
    }
    let value: string | null = null;
    const arg = opcode.argument;
    if (arg.kind === 'fixed') {
      if (at + arg.bytes > bytes.length) { found('malformed', `truncated ${opcode.name} at byte ${offset}`); break; }
      if (opcode.pushes === 'memo-get') value = memo.get(readLength(view, at, arg.bytes === 1 ? 1 : 4)) ?? null;
      if (opcode.name === 'BINPUT' || opcode.name === 'LONG_BINPUT') memo.set(readLength(view, at, arg.bytes === 1 ? 1 : 4), last);
      at += arg.bytes;
    } else if (arg.kind === 'counted') {
      if (at + arg.lengthBytes > bytes.length) { found('malformed', `truncated ${opcode.name} at byte ${offset}`); break; }
      const length = readLength(view, at, arg.lengthBytes);
      at += arg.lengthBytes;
      if (at + length > bytes.length) { found('malformed', `${opcode.name} at byte ${offset} claims ${length} bytes past the end`); break; }
      if (opcode.pushes === 'string') value = opcode.name.includes('UNICODE') ? utf8(bytes, at, at + length) : latin1(bytes, at, at + length);
      at += length;
    } else if (arg.kind === 'line') {
      const text = line();
      if (text === null) { found('malformed', `unterminated ${opcode.name} at byte ${offset}`); break; }
      if (opcode.pushes === 'string') value = text.replace(/^['"]|['"]$/g, '');
      if (opcode.pushes === 'memo-get') value = memo.get(Number(text)) ?? null;
      if (opcode.name === 'PUT') memo.set(Number(text), last);
    } else if (arg.kind === 'two-lines') {
      const module = line();
      const name = module === null ? null : line();
      if (module === null || name === null) { found('malformed', `unterminated ${opcode.name} at byte ${offset}`); break; }
      imported(module, name, opcode.name);
    }
    if (opcode.name === 'MEMOIZE') memo.set(memo.size, last);
    if (opcode.name === 'STACK_GLOBAL') {
      const [module, name] = [beforeLast, last];
      if (typeof module === 'string' && typeof name === 'string') imported(module, name, 'STACK_GLOBAL');
      else found('unresolved-global', `STACK_GLOBAL at byte ${offset} imports a name the scanner cannot resolve statically`);
    }
    if (opcode.pushes !== 'nothing') {
      beforeLast = last;
      last = opcode.pushes === 'other' ? null : value;
    }
    if (opcode.name === 'STOP') {
      end = at;
      if (bytes[at] !== 0x80) break;
      last = beforeLast = null;
      memo.clear();
    }
  }
  if (end === 0 && !findings.some((f) => f.kind === 'malformed')) found('malformed', 'the pickle never reaches STOP');
  return { globals: [...globals].sort(), findings, end };
}
