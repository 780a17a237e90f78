import { InvalidArgumentError } from 'commander';

// Parsers for commander options and arguments: a bad value is a usage error (exit 2) before any request.

export function httpUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new InvalidArgumentError('give an http(s) URL such as http://localhost:8080');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new InvalidArgumentError('the URL must start with http:// or https://');
  return value;
}

export function positiveInteger(value: string): number {
  if (!/^[1-9]\d{0,8}$/.test(value)) throw new InvalidArgumentError('expected a positive integer');
  return Number(value);
}

/** `a,b , c` → ['a', 'b', 'c']. */
export function commaList(value: string): string[] {
  return value.split(',').map((item) => item.trim()).filter((item) => item !== '');
}

/** For variadic options: `--dataset a b --dataset c,d` → ['a', 'b', 'c', 'd']. */
export function collectList(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), ...commaList(value)];
}

/** For variadic `k=v` options: `--param depth=6 lr=0.1` → { depth: '6', lr: '0.1' }. */
export function collectPairs(value: string, previous: Record<string, string> | undefined): Record<string, string> {
  const [key, entry] = pair(value, previous);
  return { ...previous, [key]: entry };
}

/** As collectPairs, with numeric values: `--metric accuracy=0.91`. */
export function collectNumericPairs(value: string, previous: Record<string, number> | undefined): Record<string, number> {
  const [key, entry] = pair(value, previous);
  const number = entry.trim() === '' ? NaN : Number(entry);
  if (!Number.isFinite(number)) throw new InvalidArgumentError(`the value of ${key} must be a number, e.g. ${key}=0.91`);
  return { ...previous, [key]: number };
}

function pair(value: string, previous: object | undefined): [string, string] {
  const at = value.indexOf('=');
  if (at < 1) throw new InvalidArgumentError('expected key=value');
  const key = value.slice(0, at);
  if (previous && key in previous) throw new InvalidArgumentError(`${key} is given twice`);
  return [key, value.slice(at + 1)];
}
