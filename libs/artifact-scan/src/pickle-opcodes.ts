/** How an opcode's argument is laid out in the stream. */
export type ArgumentLayout =
  | { readonly kind: 'none' }
  | { readonly kind: 'fixed'; readonly bytes: number }
  | { readonly kind: 'line' }
  | { readonly kind: 'two-lines' }
  /** A little-endian length of `lengthBytes`, then that many bytes. */
  | { readonly kind: 'counted'; readonly lengthBytes: 1 | 4 | 8 };

export type Pushes = 'string' | 'other' | 'memo-get' | 'nothing';

export interface Opcode {
  readonly name: string;
  readonly argument: ArgumentLayout;
  /** What the scanner needs to know about the stack: does it push a string (a STACK_GLOBAL operand)? */
  readonly pushes: Pushes;
}

const none = { kind: 'none' } as const;
const fixed = (bytes: number) => ({ kind: 'fixed', bytes }) as const;
const line = { kind: 'line' } as const;
const counted = (lengthBytes: 1 | 4 | 8) => ({ kind: 'counted', lengthBytes }) as const;

const table: Array<[string, string, ArgumentLayout, Pushes]> = [
  ['(', 'MARK', none, 'other'], ['.', 'STOP', none, 'nothing'], ['0', 'POP', none, 'nothing'], ['1', 'POP_MARK', none, 'nothing'],
  ['2', 'DUP', none, 'other'], ['F', 'FLOAT', line, 'other'], ['I', 'INT', line, 'other'], ['J', 'BININT', fixed(4), 'other'],
  ['K', 'BININT1', fixed(1), 'other'], ['L', 'LONG', line, 'other'], ['M', 'BININT2', fixed(2), 'other'], ['N', 'NONE', none, 'other'],
  ['P', 'PERSID', line, 'other'], ['Q', 'BINPERSID', none, 'other'], ['R', 'REDUCE', none, 'other'], ['S', 'STRING', line, 'string'],
  ['T', 'BINSTRING', counted(4), 'string'], ['U', 'SHORT_BINSTRING', counted(1), 'string'], ['V', 'UNICODE', line, 'string'],
  ['X', 'BINUNICODE', counted(4), 'string'], ['a', 'APPEND', none, 'nothing'], ['b', 'BUILD', none, 'nothing'],
  ['c', 'GLOBAL', { kind: 'two-lines' }, 'other'], ['d', 'DICT', none, 'other'], ['}', 'EMPTY_DICT', none, 'other'],
  ['e', 'APPENDS', none, 'nothing'], ['g', 'GET', line, 'memo-get'], ['h', 'BINGET', fixed(1), 'memo-get'],
  ['i', 'INST', { kind: 'two-lines' }, 'other'], ['j', 'LONG_BINGET', fixed(4), 'memo-get'], ['l', 'LIST', none, 'other'],
  [']', 'EMPTY_LIST', none, 'other'], ['o', 'OBJ', none, 'other'], ['p', 'PUT', line, 'nothing'], ['q', 'BINPUT', fixed(1), 'nothing'],
  ['r', 'LONG_BINPUT', fixed(4), 'nothing'], ['s', 'SETITEM', none, 'nothing'], ['t', 'TUPLE', none, 'other'], [')', 'EMPTY_TUPLE', none, 'other'],
  ['u', 'SETITEMS', none, 'nothing'], ['G', 'BINFLOAT', fixed(8), 'other'],
  ['\x80', 'PROTO', fixed(1), 'nothing'], ['\x81', 'NEWOBJ', none, 'other'], ['\x82', 'EXT1', fixed(1), 'other'], ['\x83', 'EXT2', fixed(2), 'other'],
  ['\x84', 'EXT4', fixed(4), 'other'], ['\x85', 'TUPLE1', none, 'other'], ['\x86', 'TUPLE2', none, 'other'], ['\x87', 'TUPLE3', none, 'other'],
  ['\x88', 'NEWTRUE', none, 'other'], ['\x89', 'NEWFALSE', none, 'other'], ['\x8a', 'LONG1', counted(1), 'other'], ['\x8b', 'LONG4', counted(4), 'other'],
  ['B', 'BINBYTES', counted(4), 'other'], ['C', 'SHORT_BINBYTES', counted(1), 'other'],
  ['\x8c', 'SHORT_BINUNICODE', counted(1), 'string'], ['\x8d', 'BINUNICODE8', counted(8), 'string'], ['\x8e', 'BINBYTES8', counted(8), 'other'],
  ['\x8f', 'EMPTY_SET', none, 'other'], ['\x90', 'ADDITEMS', none, 'nothing'], ['\x91', 'FROZENSET', none, 'other'], ['\x92', 'NEWOBJ_EX', none, 'other'],
  ['\x93', 'STACK_GLOBAL', none, 'other'], ['\x94', 'MEMOIZE', none, 'nothing'], ['\x95', 'FRAME', fixed(8), 'nothing'],
  ['\x96', 'BYTEARRAY8', counted(8), 'other'], ['\x97', 'NEXT_BUFFER', none, 'other'], ['\x98', 'READONLY_BUFFER', none, 'nothing'],
];

/** Every opcode of pickle protocols 0–5, by its byte. */
export const OPCODES: ReadonlyMap<number, Opcode> = new Map(table.map(([byte, name, argument, pushes]) => [byte.charCodeAt(0), { name, argument, pushes }]));
