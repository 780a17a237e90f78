import { isDangerousGlobal } from './dangerous-globals';
import { OPCODES } from './pickle-opcodes';
import { addItems, dictOf, joblibArrayBytes, list, MARK, type PickleValue, setItems, UNKNOWN } from './pickle-values';
import type { ScanFinding } from './scan-report';

export interface PickleScan {
  readonly globals: readonly string[];
  readonly findings: readonly ScanFinding[];
  /** Where the last complete pickle ended (a STOP), or 0 when none did. */
  readonly end: number;
}

const OPCODE_TABLE = Array.from({ length: 256 }, (_, code) => OPCODES.get(code));
const JOBLIB_WRAPPER = 'joblib.numpy_pickle.NumpyArrayWrapper';
type Slot = PickleValue | typeof MARK;

/**
 * Walks a pickle opcode by opcode on a symbolic stack — strings, numbers and containers are kept, nothing
 * is ever called or imported — and reports every global it would import: GLOBAL and INST name theirs
 * inline, STACK_GLOBAL takes its two operands off the stack (through the memo). An operand it cannot
 * resolve, or a stream it cannot parse, is a finding: unknown is unsafe. joblib's NumpyArrayWrapper is
 * followed by raw array bytes (or a nested pickle for object arrays), which are skipped (or scanned) by
 * the size its state declares. Consecutive pickles (legacy PyTorch files) are scanned while the next byte
 * starts a protocol 2+ pickle.
 */
export function scanPickle(bytes: Uint8Array, member = '', extraDenied: readonly string[] = []): PickleScan {
  const globals = new Set<string>();
  const findings: ScanFinding[] = [];
  const found = (kind: ScanFinding['kind'], detail: string) => findings.push({ kind, member, detail });
  const imported = (module: string, name: string, via: string): PickleValue => {
    const global = `${module}.${name}`;
    globals.add(global);
    if (isDangerousGlobal(module, name, extraDenied)) found('dangerous-global', `${via} imports ${global}, which can run code when the model is loaded`);
    return { kind: 'global', name: global };
  };
  const view = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let at = 0;
  let end = 0;
  let stack: Slot[] = [];
  let memo = new Map<number, PickleValue>();
  const pop = (): PickleValue => {
    const value = stack.pop();
    return value === undefined || value === MARK ? UNKNOWN : value;
  };
  const top = (): PickleValue => {
    const value = stack[stack.length - 1];
    return value === undefined || value === MARK ? UNKNOWN : value;
  };
  const popMark = (): PickleValue[] => {
    const mark = stack.lastIndexOf(MARK);
    const items = stack.splice(mark < 0 ? 0 : mark) as PickleValue[];
    if (mark >= 0) items.shift();
    return items;
  };
  const line = (): string | null => {
    const stop = view.indexOf(0x0a, at);
    if (stop < 0) return null;
    const text = view.toString('latin1', at, stop);
    at = stop + 1;
    return text;
  };
  const length = (width: number): number => {
    if (width === 1) return view[at]!;
    if (width === 2) return view.readUInt16LE(at);
    if (width === 4) return view.readUInt32LE(at);
    const big = view.readBigUInt64LE(at);
    return big > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(big);
  };
  const objectOf = (callable: PickleValue, args: PickleValue): PickleValue =>
    ({ kind: 'object', cls: typeof callable === 'object' && callable?.kind === 'global' ? callable.name : '?', args });

  /** Skips what joblib wrote after a NumpyArrayWrapper's BUILD; false when the stream cannot be followed. */
  const skipJoblibArray = (state: PickleValue | undefined, offset: number): boolean => {
    const array = joblibArrayBytes(state);
    if (typeof array === 'string') {
      found('malformed', `${array} at byte ${offset}; the array bytes that follow cannot be skipped safely`);
      return false;
    }
    if (array.objects) {
      const nested = scanPickle(view.subarray(at), member, extraDenied);
      nested.globals.forEach((g) => globals.add(g));
      findings.push(...nested.findings);
      if (nested.end === 0) return false;
      at += nested.end;
      return true;
    }
    if (array.aligned) {
      if (at >= view.length) return false;
      at += 1 + view[at]!;
    }
    if (at + array.bytes > view.length) {
      found('malformed', `a joblib array at byte ${offset} claims ${array.bytes} bytes past the end`);
      return false;
    }
    at += array.bytes;
    return true;
  };

  scan: while (at < view.length) {
    const offset = at;
    const code = view[at++]!;
    const opcode = OPCODE_TABLE[code];
    if (!opcode) {
      found('malformed', `unknown opcode 0x${code.toString(16)} at byte ${offset}; the stream cannot be proven safe`);
      break;
    }
    const arg = opcode.argument;
    let fixed = 0;
    let text: string | null = null;
    let counted: { from: number; to: number } | null = null;
    if (arg.kind === 'fixed') {
      if (at + arg.bytes > view.length) { found('malformed', `truncated ${opcode.name} at byte ${offset}`); break; }
      fixed = arg.bytes === 8 ? 0 : length(arg.bytes);
      at += arg.bytes;
    } else if (arg.kind === 'counted') {
      if (at + arg.lengthBytes > view.length) { found('malformed', `truncated ${opcode.name} at byte ${offset}`); break; }
      const n = length(arg.lengthBytes);
      at += arg.lengthBytes;
      if (at + n > view.length) { found('malformed', `${opcode.name} at byte ${offset} claims ${n} bytes past the end`); break; }
      counted = { from: at, to: at + n };
      at += n;
    } else if (arg.kind === 'line') {
      text = line();
      if (text === null) { found('malformed', `unterminated ${opcode.name} at byte ${offset}`); break; }
    }
    switch (code) {
      case 0x28 /* MARK */: stack.push(MARK); break;
      case 0x2e /* STOP */:
        pop();
        end = at;
        if (view[at] !== 0x80) break scan;
        stack = [];
        memo = new Map();
        break;
      case 0x30 /* POP */: pop(); break;
      case 0x31 /* POP_MARK */: popMark(); break;
      case 0x32 /* DUP */: stack.push(top()); break;
      case 0x49 /* INT */: case 0x4c /* LONG */: case 0x46 /* FLOAT */: stack.push(Number(text!.replace(/L$/, ''))); break;
      case 0x4a /* BININT */: stack.push(view.readInt32LE(at - 4)); break;
      case 0x4b /* BININT1 */: case 0x4d /* BININT2 */: stack.push(fixed); break;
      // Float values never matter to the scan: a shared 0 spares a heap number per opcode.
      case 0x47 /* BINFLOAT */: stack.push(0); break;
      case 0x8a /* LONG1 */: case 0x8b /* LONG4 */: stack.push(counted!.to - counted!.from <= 6 && counted!.to > counted!.from ? view.readIntLE(counted!.from, counted!.to - counted!.from) : counted!.to === counted!.from ? 0 : UNKNOWN); break;
      case 0x4e /* NONE */: stack.push(null); break;
      case 0x88 /* NEWTRUE */: stack.push(true); break;
      case 0x89 /* NEWFALSE */: stack.push(false); break;
      case 0x53 /* STRING */: case 0x56 /* UNICODE */: stack.push(text!.replace(/^(['"])(.*)\1$/s, '$2')); break;
      case 0x54 /* BINSTRING */: case 0x55 /* SHORT_BINSTRING */: stack.push(view.toString('latin1', counted!.from, counted!.to)); break;
      case 0x58 /* BINUNICODE */: case 0x8c /* SHORT_BINUNICODE */: case 0x8d /* BINUNICODE8 */: stack.push(view.toString('utf8', counted!.from, counted!.to)); break;
      case 0x42 /* BINBYTES */: case 0x43 /* SHORT_BINBYTES */: case 0x8e /* BINBYTES8 */: case 0x96 /* BYTEARRAY8 */: stack.push({ kind: 'bytes', length: counted!.to - counted!.from }); break;
      case 0x5d /* EMPTY_LIST */: case 0x29 /* EMPTY_TUPLE */: case 0x8f /* EMPTY_SET */: stack.push(list([])); break;
      case 0x7d /* EMPTY_DICT */: stack.push(dictOf([])); break;
      case 0x6c /* LIST */: case 0x74 /* TUPLE */: case 0x91 /* FROZENSET */: stack.push(list(popMark())); break;
      case 0x64 /* DICT */: stack.push(dictOf(popMark())); break;
      case 0x85 /* TUPLE1 */: stack.push(list([pop()])); break;
      case 0x86 /* TUPLE2 */: { const b = pop(); stack.push(list([pop(), b])); break; }
      case 0x87 /* TUPLE3 */: { const c = pop(); const b = pop(); stack.push(list([pop(), b, c])); break; }
      case 0x61 /* APPEND */: { const item = pop(); addItems(top(), [item]); break; }
      case 0x65 /* APPENDS */: case 0x90 /* ADDITEMS */: { const items = popMark(); addItems(top(), items); break; }
      case 0x73 /* SETITEM */: { const value = pop(); const key = pop(); setItems(top(), [key, value]); break; }
      case 0x75 /* SETITEMS */: { const pairs = popMark(); setItems(top(), pairs); break; }
      case 0x63 /* GLOBAL */: case 0x69 /* INST */: {
        const module = line();
        const name = module === null ? null : line();
        if (module === null || name === null) { found('malformed', `unterminated ${opcode.name} at byte ${offset}`); break scan; }
        const global = imported(module, name, opcode.name);
        stack.push(opcode.name === 'GLOBAL' ? global : objectOf(global, list(popMark())));
        break;
      }
      case 0x93 /* STACK_GLOBAL */: {
        const name = pop();
        const module = pop();
        if (typeof module === 'string' && typeof name === 'string') stack.push(imported(module, name, 'STACK_GLOBAL'));
        else {
          found('unresolved-global', `STACK_GLOBAL at byte ${offset} imports a name the scanner cannot resolve statically`);
          stack.push(UNKNOWN);
        }
        break;
      }
      case 0x82 /* EXT1 */: case 0x83 /* EXT2 */: case 0x84 /* EXT4 */:
        found('unresolved-global', `${opcode.name} at byte ${offset} imports through the copyreg extension registry, which the scanner cannot see`);
        stack.push(UNKNOWN);
        break;
      case 0x52 /* REDUCE */: case 0x81 /* NEWOBJ */: { const args = pop(); stack.push(objectOf(pop(), args)); break; }
      case 0x92 /* NEWOBJ_EX */: { pop(); const args = pop(); stack.push(objectOf(pop(), args)); break; }
      case 0x6f /* OBJ */: { const items = popMark(); stack.push(objectOf(items[0] ?? UNKNOWN, list(items.slice(1)))); break; }
      case 0x62 /* BUILD */: {
        const state = pop();
        const target = top();
        if (typeof target === 'object' && target?.kind === 'object') {
          target.state = state;
          if (target.cls === JOBLIB_WRAPPER && !skipJoblibArray(state, offset)) break scan;
        }
        break;
      }
      case 0x70 /* PUT */: memo.set(Number(text), top()); break;
      case 0x71 /* BINPUT */: case 0x72 /* LONG_BINPUT */: memo.set(fixed, top()); break;
      case 0x94 /* MEMOIZE */: memo.set(memo.size, top()); break;
      case 0x67 /* GET */: stack.push(memo.get(Number(text)) ?? UNKNOWN); break;
      case 0x68 /* BINGET */: case 0x6a /* LONG_BINGET */: stack.push(memo.get(fixed) ?? UNKNOWN); break;
      case 0x50 /* PERSID */: stack.push(UNKNOWN); break;
      case 0x51 /* BINPERSID */: pop(); stack.push(UNKNOWN); break;
      case 0x97 /* NEXT_BUFFER */: stack.push(UNKNOWN); break;
      case 0x80 /* PROTO */: case 0x95 /* FRAME */: case 0x98 /* READONLY_BUFFER */: break;
      default: found('malformed', `unhandled opcode ${opcode.name} at byte ${offset}`); break scan;
    }
  }
  if (end === 0 && !findings.some((f) => f.kind === 'malformed')) found('malformed', 'the pickle never reaches STOP');
  return { globals: [...globals].sort(), findings, end };
}
