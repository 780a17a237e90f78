export type DetectorName = 'email' | 'phone' | 'us-ssn' | 'payment-card' | 'ipv4' | 'ipv6' | 'iban';

/** Finds one kind of personal data in free text. */
export interface PiiDetector {
  readonly name: DetectorName;
  /** Every match in `text` that also passes the kind's validation (checksum, ranges, numbering plan). */
  readonly find: (text: string) => string[];
  /** A form of a match that shows its kind and shape but not the person. */
  readonly redact: (match: string) => string;
}

/** All matches of a global regular expression that `accept` keeps. */
export function matchesOf(text: string, pattern: RegExp, accept: (match: string, index: number) => boolean = () => true): string[] {
  const found: string[] = [];
  for (const match of text.matchAll(pattern)) if (accept(match[0], match.index)) found.push(match[0]);
  return found;
}
