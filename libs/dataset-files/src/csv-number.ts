export const POWERS_OF_TEN = Array.from({ length: 23 }, (_, k) => 10 ** k);

/** `numberAt`'s answer when the bytes cannot start a number (a letter, say): the field is text. */
export const NOT_A_NUMBER = Number.NaN;

/**
 * The number spelt by the bytes `[start, end)` when they are a plain decimal (`-12.5`), read without
 * making a string; NOT_A_NUMBER when they cannot be a number at all; undefined when the general rule
 * (`asFiniteNumber` on the text) must decide: exponents, spaces, non-ASCII or more than 15 digits.
 * With at most 15 digits the mantissa and 10^k are exact doubles, so one division is correctly
 * rounded: the result equals `Number(text)` bit for bit.
 */
export function numberAt(b: Uint8Array, start: number, end: number): number | undefined {
  let i = start;
  let c = b[i]!;
  const negative = c === 0x2d;
  if (negative || c === 0x2b) c = b[++i]!;
  if (!((c >= 0x30 && c <= 0x39) || c === 0x2e)) {
    // Only whitespace (which trimming removes) or a sign may still precede a number's digits.
    return c === 0x20 || c === 0x09 || c >= 0x80 || i > start ? undefined : NOT_A_NUMBER;
  }
  let mantissa = 0;
  let digits = 0;
  while (i < end && (c = b[i]!) >= 0x30 && c <= 0x39) {
    mantissa = mantissa * 10 + (c - 0x30);
    digits += 1;
    i += 1;
  }
  let fraction = 0;
  if (i < end && b[i] === 0x2e) {
    i += 1;
    while (i < end && (c = b[i]!) >= 0x30 && c <= 0x39) {
      mantissa = mantissa * 10 + (c - 0x30);
      digits += 1;
      fraction += 1;
      i += 1;
    }
  }
  if (i !== end || digits === 0 || digits > 15) return undefined;
  const value = fraction === 0 ? mantissa : mantissa / POWERS_OF_TEN[fraction]!;
  return negative ? -value : value;
}
