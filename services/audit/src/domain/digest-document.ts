import { DomainError } from '@mgov/decider';

export const INVALID_DIGEST = 'AUDIT.INVALID_DIGEST';
export const DIGEST_ALGORITHM = 'Ed25519';

/** What a ledger digest attests: the ledger's chain head (`headHash` at `position`) at time `at`. */
export interface DigestClaim {
  readonly version: 1;
  /** The ledger's schema, so a digest of one deployment cannot pass for another's. */
  readonly ledger: string;
  /** A ledger position as a decimal string. */
  readonly position: string;
  /** The entry's hash at `position`, 64 hex digits. */
  readonly headHash: string;
  /** ISO 8601 in UTC. */
  readonly at: string;
}

/** A signed digest as it is stored, exported and submitted for verification. */
export interface DigestDocument extends DigestClaim {
  readonly algorithm: typeof DIGEST_ALGORITHM;
  /** `sha256:` + hex of the DER (SPKI) public key that verifies `signature`. */
  readonly keyId: string;
  /** Base64 Ed25519 signature over `canonicalClaim(claim)` as UTF-8. */
  readonly signature: string;
}

/**
 * The exact text that is signed: RFC 8785 canonical JSON of the claim (members sorted by name, no
 * whitespace; every value is a plain string or the integer 1, so JSON.stringify already emits the
 * canonical form). Anyone can rebuild it from a digest document without MGov code.
 */
export function canonicalClaim(claim: DigestClaim): string {
  const { at, headHash, ledger, position, version } = claim;
  return JSON.stringify({ at, headHash, ledger, position, version });
}

const FIELDS = ['version', 'ledger', 'position', 'headHash', 'at', 'algorithm', 'keyId', 'signature'];
const PATTERNS: Record<string, RegExp> = {
  ledger: /^[a-z_][a-z0-9_]{0,62}$/,
  position: /^[1-9]\d{0,18}$/,
  headHash: /^[0-9a-f]{64}$/,
  at: /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/,
  keyId: /^sha256:[0-9a-f]{64}$/,
  signature: /^[A-Za-z0-9+/]{86}==$/,
};

function invalid(message: string): DomainError {
  return new DomainError(INVALID_DIGEST, message, 400);
}

/** Validates a submitted digest document (the JSON of `GET /audit/digests/latest` or an exported file). */
export function parseDigestDocument(body: unknown): DigestDocument {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw invalid('send a digest document as the JSON body, exactly as GET /audit/digests/latest or the exported file has it');
  }
  const document = body as Record<string, unknown>;
  const unknown = Object.keys(document).filter((key) => !FIELDS.includes(key));
  if (unknown.length > 0) throw invalid(`unknown digest field(s) ${unknown.join(', ')}; a digest has ${FIELDS.join(', ')}`);
  if (document.version !== 1) throw invalid('version must be 1');
  if (document.algorithm !== DIGEST_ALGORITHM) throw invalid(`algorithm must be ${DIGEST_ALGORITHM}`);
  for (const [field, pattern] of Object.entries(PATTERNS)) {
    const value = document[field];
    if (typeof value !== 'string' || !pattern.test(value)) throw invalid(`${field} is missing or malformed (expected ${pattern.source})`);
  }
  return document as unknown as DigestDocument;
}
