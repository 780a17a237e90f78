/** What the scanner knows of a value on the pickle stack: primitives and containers, never anything executed. */
export type PickleValue =
  | null | boolean | number | string
  | { readonly kind: 'bytes'; readonly length: number }
  | { readonly kind: 'list'; readonly items: PickleValue[] }
  | { readonly kind: 'dict'; readonly entries: Map<string, PickleValue> }
  | { readonly kind: 'global'; readonly name: string }
  | { kind: 'object'; readonly cls: string; readonly args: PickleValue; state?: PickleValue }
  | { readonly kind: 'unknown' };

export const MARK = Symbol('mark');
export const UNKNOWN: PickleValue = { kind: 'unknown' };
/** Containers keep this many items: enough for the states the scanner reads, bounded for huge lists. */
export const KEPT_ITEMS = 64;

export const list = (items: PickleValue[]): PickleValue => ({ kind: 'list', items: items.length > KEPT_ITEMS ? items.slice(0, KEPT_ITEMS) : items });

export function dictOf(pairs: readonly PickleValue[]): PickleValue {
  const entries = new Map<string, PickleValue>();
  for (let i = 0; i + 1 < pairs.length && entries.size < KEPT_ITEMS; i += 2) if (typeof pairs[i] === 'string') entries.set(pairs[i] as string, pairs[i + 1]!);
  return { kind: 'dict', entries };
}

export function addItems(target: PickleValue | undefined, items: readonly PickleValue[]): void {
  if (target && typeof target === 'object' && target.kind === 'list') {
    for (const item of items) if (target.items.length < KEPT_ITEMS) target.items.push(item);
  }
}

export function setItems(target: PickleValue | undefined, pairs: readonly PickleValue[]): void {
  if (target && typeof target === 'object' && target.kind === 'dict') {
    for (let i = 0; i + 1 < pairs.length; i += 2) if (typeof pairs[i] === 'string' && target.entries.size < KEPT_ITEMS) target.entries.set(pairs[i] as string, pairs[i + 1]!);
  }
}

const NUMPY_ITEMSIZE: Readonly<Record<string, number>> = { '?': 1, b: 1, B: 1, h: 2, H: 2, i: 4, I: 4, l: 8, L: 8, q: 8, Q: 8, e: 2, f: 4, d: 8, g: 16, F: 8, D: 16, G: 32 };

/** The byte size of one element of a numpy dtype string ('f8', '<i4', 'U5', 'S3', 'V16', 'M8', '?'), or null when unknown or an object dtype. */
export function numpyItemSize(descr: string): number | null {
  const match = /^[<>|=]?([a-zA-Z?])(\d*)$/.exec(descr);
  if (!match) return null;
  const [, kind, digits] = match;
  const n = digits ? Number(digits) : null;
  if (kind === 'O') return null;
  if (kind === 'U') return n === null ? null : 4 * n;
  if ('fiucbSVaMm'.includes(kind!)) return n ?? (kind === 'b' ? 1 : null);
  return NUMPY_ITEMSIZE[kind!] ?? null;
}

/** The byte count joblib writes raw after a NumpyArrayWrapper's BUILD, or why it cannot be known. */
export function joblibArrayBytes(state: PickleValue | undefined): { bytes: number; aligned: boolean; objects: boolean } | string {
  if (!state || typeof state !== 'object' || state.kind !== 'dict') return 'the NumpyArrayWrapper state is not a dict';
  const shape = state.entries.get('shape');
  const dtype = state.entries.get('dtype');
  if (!shape || typeof shape !== 'object' || shape.kind !== 'list' || !shape.items.every((d) => typeof d === 'number' && Number.isInteger(d) && d >= 0)) {
    return 'the NumpyArrayWrapper shape is not a tuple of sizes';
  }
  const descr = dtype && typeof dtype === 'object' && dtype.kind === 'object' && dtype.cls === 'numpy.dtype' && typeof dtype.args === 'object' && dtype.args?.kind === 'list'
    ? dtype.args.items[0] : undefined;
  if (typeof descr !== 'string') return 'the NumpyArrayWrapper dtype cannot be read';
  const count = (shape.items as number[]).reduce((a, b) => a * b, 1);
  if (/^[<>|=]?O/.test(descr)) return { bytes: 0, aligned: false, objects: true };
  const size = numpyItemSize(descr);
  if (size === null) return `the NumpyArrayWrapper dtype ${descr} has no known size`;
  return { bytes: count * size, aligned: state.entries.has('numpy_array_alignment_bytes') && state.entries.get('numpy_array_alignment_bytes') !== null, objects: false };
}
