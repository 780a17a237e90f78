import { type CountryCode, isValidPhoneNumber } from 'libphonenumber-js';
import { maskDigits } from '../redact';
import { matchesOf, type PiiDetector } from './pii-detector';

// Only phone-shaped text is considered: a bare run of digits (an order number, a timestamp, an
// amount) is never taken for a phone number, however valid it would be in some numbering plan.
const INTERNATIONAL = /(?<![\w+])\+\d+(?:[ .-]?\(?\d+\)?){0,7}(?![\w-]|\.\d)/g;
// North American: (415) 555-2671, 415-555-2671, 415.555.2671 (one separator throughout).
const NORTH_AMERICAN = /(?<![\w.+-])(?:\(\d{3}\) ?\d{3}-\d{4}|\d{3}([-.])\d{3}\1\d{4})(?![\w-]|\.\d)/g;
// Trunk-prefix national formats (020 7946 0958, 01 42 68 53 00, 0151-23456789): a leading 0 and groups split by one separator.
const TRUNK_PREFIXED = /(?<![\w.+-])0\d{1,4}([ -])\d{2,8}(?:\1\d{2,4}){0,3}(?![\w-]|\.\d)/g;

const DIGITS = /\d/g;

export interface PhoneDetectorOptions {
  /** Numbering plans a trunk-prefixed (leading 0) national number is checked against. */
  readonly nationalRegions?: readonly CountryCode[];
}

export const DEFAULT_NATIONAL_REGIONS: readonly CountryCode[] = ['GB', 'IE', 'DE', 'FR', 'NL'];

function digitCount(text: string): number {
  return text.match(DIGITS)?.length ?? 0;
}

/** A detector of E.164 numbers and common national formats, each confirmed by libphonenumber's numbering plans. */
export function phoneDetector(options: PhoneDetectorOptions = {}): PiiDetector {
  const regions = options.nationalRegions ?? DEFAULT_NATIONAL_REGIONS;
  return {
    name: 'phone',
    find: (text) => {
      if (digitCount(text) < 7) return [];
      // The national patterns can match inside an international number ("+1 415-555-2671"): count it once.
      const taken: [number, number][] = [];
      const fresh = (match: string, start: number) => !taken.some(([from, to]) => start < to && from < start + match.length);
      const take = (valid: (match: string) => boolean) => (match: string, start: number) => {
        if (!fresh(match, start) || !valid(match)) return false;
        taken.push([start, start + match.length]);
        return true;
      };
      return [
        ...matchesOf(text, INTERNATIONAL, take((match) => isValidPhoneNumber(match))),
        ...matchesOf(text, NORTH_AMERICAN, take((match) => isValidPhoneNumber(match, 'US'))),
        ...matchesOf(text, TRUNK_PREFIXED, take((match) => digitCount(match) >= 9 && regions.some((region) => isValidPhoneNumber(match, region)))),
      ];
    },
    redact: (match) => maskDigits(match, 2),
  };
}
