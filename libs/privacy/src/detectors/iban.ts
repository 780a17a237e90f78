import { isValidIBAN } from 'ibantools';
import type { PiiDetector } from './pii-detector';

// Country code, check digits, then 11–30 letters or digits, in print form (groups of four split by
// spaces) or electronic form. Upper case only, as IBANs are written.
const CANDIDATE = /(?<![A-Za-z0-9])[A-Z]{2}\d{2}(?: ?[A-Z0-9]){11,30}(?![A-Za-z0-9])/g;

/**
 * The longest valid IBAN at the start of a candidate. The pattern may have run on into the next
 * upper-case word ("… 0130 00 BIC …"), so trailing space-separated groups are dropped until one checks.
 */
function validPrefix(candidate: string): string | null {
  for (let text = candidate; ; text = text.slice(0, text.lastIndexOf(' '))) {
    // ibantools checks the country's length and format and the ISO 7064 mod-97 check digits.
    if (isValidIBAN(text.replace(/ /g, ''))) return text;
    if (!text.includes(' ')) return null;
  }
}

function redactIban(iban: string): string {
  const characters = iban.replace(/ /g, '');
  return `${characters.slice(0, 2)}${'*'.repeat(characters.length - 6)}${characters.slice(-4)}`;
}

export const ibanDetector: PiiDetector = {
  name: 'iban',
  find: (text) => {
    const found: string[] = [];
    for (const match of text.matchAll(CANDIDATE)) {
      const iban = validPrefix(match[0]);
      if (iban) found.push(iban);
    }
    return found;
  },
  redact: redactIban,
};
