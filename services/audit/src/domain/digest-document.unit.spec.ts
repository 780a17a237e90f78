import { canonicalClaim, parseDigestDocument } from './digest-document';

const document = {
  version: 1, ledger: 'mgov_audit', position: '42', headHash: 'ab'.repeat(32), at: '2030-01-01T00:00:00.000Z',
  algorithm: 'Ed25519', keyId: `sha256:${'cd'.repeat(32)}`, signature: `${'A'.repeat(86)}==`,
} as const;

describe('ledger digest documents', () => {
  it('sign RFC 8785 canonical JSON of the claim: sorted members, no whitespace, nothing else', () => {
    expect(canonicalClaim(document)).toBe(`{"at":"2030-01-01T00:00:00.000Z","headHash":"${'ab'.repeat(32)}","ledger":"mgov_audit","position":"42","version":1}`);
  });

  it.each([
    [null, 'send a digest document'],
    [{ ...document, position: 42 }, 'position is missing or malformed'],
    [{ ...document, headHash: 'AB'.repeat(32) }, 'headHash is missing or malformed'],
    [{ ...document, algorithm: 'RSA' }, 'algorithm must be Ed25519'],
    [{ ...document, comment: 'hi' }, 'unknown digest field(s) comment'],
  ])('refuse %j with AUDIT.INVALID_DIGEST', (body, message) => {
    expect(() => parseDigestDocument(body)).toThrow(expect.objectContaining({ code: 'AUDIT.INVALID_DIGEST', status: 400, message: expect.stringContaining(message) }));
  });

  it('accept a well-formed document as it is', () => {
    expect(parseDigestDocument({ ...document })).toEqual(document);
  });
});
