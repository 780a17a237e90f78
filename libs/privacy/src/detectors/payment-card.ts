import { passesLuhn } from '../luhn';
import { maskDigits } from '../redact';
import { matchesOf, type PiiDetector } from './pii-detector';

interface CardScheme {
  /** Inclusive ranges of the leading digits, compared as numbers of the same length. */
  readonly prefixes: readonly (readonly [string, string])[];
  readonly lengths: readonly number[];
}

const sixteenToNineteen = [16, 17, 18, 19];

// Issuer identification ranges of the major schemes; a Luhn-valid number outside them is not taken
// for a card, which halves again the chance of a random ID passing.
const SCHEMES: readonly CardScheme[] = [
  { prefixes: [['4', '4']], lengths: [13, 16, 19] }, // Visa
  { prefixes: [['51', '55'], ['2221', '2720']], lengths: [16] }, // Mastercard
  { prefixes: [['34', '34'], ['37', '37']], lengths: [15] }, // American Express
  { prefixes: [['6011', '6011'], ['644', '649'], ['65', '65']], lengths: sixteenToNineteen }, // Discover
  { prefixes: [['300', '305'], ['36', '36'], ['38', '39'], ['3095', '3095']], lengths: [14, 15, 16, 17, 18, 19] }, // Diners Club
  { prefixes: [['3528', '3589']], lengths: sixteenToNineteen }, // JCB
  { prefixes: [['62', '62']], lengths: sixteenToNineteen }, // UnionPay
  { prefixes: [['2200', '2204']], lengths: sixteenToNineteen }, // Mir
  { prefixes: [['5018', '5018'], ['5020', '5020'], ['5038', '5038'], ['5893', '5893'], ['6304', '6304'], ['6759', '6759'], ['6761', '6763']], lengths: [12, 13, 14, 15, 16, 17, 18, 19] }, // Maestro
];

/** Whether the digits have a card scheme's prefix and length. */
export function hasCardSchemeShape(digits: string): boolean {
  return SCHEMES.some(
    (scheme) =>
      scheme.lengths.includes(digits.length) &&
      scheme.prefixes.some(([low, high]) => {
        const head = Number(digits.slice(0, low.length));
        return head >= Number(low) && head <= Number(high);
      }),
  );
}

// 12 to 19 digits, optionally grouped by single spaces or dashes; not part of a longer number,
// a decimal or a word (which keeps hex digests and IDs like ORD4111… out).
const CANDIDATE = /(?<![\w.,-])\d(?:[ -]?\d){11,18}(?!\w|[.,-]\d)/g;

export const paymentCardDetector: PiiDetector = {
  name: 'payment-card',
  find: (text) =>
    matchesOf(text, CANDIDATE, (match) => {
      const digits = match.replace(/[ -]/g, '');
      return hasCardSchemeShape(digits) && passesLuhn(digits);
    }),
  redact: (match) => maskDigits(match, 4),
};
