import type { ApiKeyIssued, ApiKeyRevoked } from '@mgov/contracts';
import { deciderSpec } from '@mgov/testing';
import { apiKeyDecider, type IssueApiKey, type RevokeApiKey } from './api-key';

const now = 1_790_000_000_000;
const admin = { actor: { id: 'ada.admin', role: 'admin' }, now, correlationId: 'c' };
const hash = 'ab'.repeat(32);
const issue: IssueApiKey = { type: 'IssueApiKey', keyId: 'k1k2k3k4', name: 'dana.steward', roles: ['data-steward'], secretHash: hash, expiresAt: null, metadata: admin };
const issued: ApiKeyIssued = {
  type: 'ApiKeyIssued',
  data: { keyId: 'k1k2k3k4', name: 'dana.steward', roles: ['data-steward'], secretHash: hash, hashAlgorithm: 'sha256', expiresAt: null },
};
const revoke: RevokeApiKey = { type: 'RevokeApiKey', keyId: 'k1k2k3k4', reason: 'left the team', metadata: admin };
const revoked: ApiKeyRevoked = { type: 'ApiKeyRevoked', data: { keyId: 'k1k2k3k4', reason: 'left the team' } };
const spec = deciderSpec(apiKeyDecider);

describe('API key', () => {
  it('is issued by an admin with the hash of its secret, never the secret', () => {
    spec.given([]).when(issue).then([issued]);
    spec.given([]).when({ ...issue, metadata: { ...admin, actor: { id: 'mgov-bootstrap', role: 'system' } } }).then([issued]);
  });

  it('is issued once: the same key again changes nothing, another key under its id is refused', () => {
    spec.given([issued]).when(issue).then([]);
    spec.given([issued, revoked]).when(issue).then([]);
    spec.given([issued]).when({ ...issue, secretHash: 'cd'.repeat(32) }).thenThrows('ACCESS.KEY_EXISTS');
  });

  it('may not be managed by anyone but an admin', () => {
    const reviewer = { ...admin, actor: { id: 'rita', role: 'model-reviewer' } };
    spec.given([]).when({ ...issue, metadata: reviewer }).thenThrows('ACCESS.FORBIDDEN_ROLE');
    spec.given([issued]).when({ ...revoke, metadata: reviewer }).thenThrows('ACCESS.FORBIDDEN_ROLE');
  });

  it.each([
    ['no roles', { roles: [] }, 'ACCESS.ROLES_REQUIRED'],
    ['an unknown role', { roles: ['governance'] }, 'ACCESS.UNKNOWN_ROLE'],
    ['no name', { name: '' }, 'ACCESS.INVALID_NAME'],
    ['a bad key id', { keyId: 'K_1' }, 'ACCESS.INVALID_KEY_ID'],
    ['something that is not a sha256', { secretHash: 'mgov_k1k2k3k4_secret' }, 'ACCESS.INVALID_HASH'],
    ['an expiry in the past', { expiresAt: now - 1 }, 'ACCESS.INVALID_EXPIRY'],
  ])('is refused with %s', (_, change, code) => {
    spec.given([]).when({ ...issue, ...change } as IssueApiKey).thenThrows(code);
  });

  it('lists each role once', () => {
    spec.given([]).when({ ...issue, roles: ['data-steward', 'data-steward'] }).then([issued]);
  });

  it('is revoked once, and only if it exists', () => {
    spec.given([]).when(revoke).thenThrows('ACCESS.KEY_NOT_FOUND');
    spec.given([issued]).when(revoke).then([revoked]);
    spec.given([issued, revoked]).when(revoke).then([]);
  });

  it('folds to the state the guard checks', () => {
    const state = [issued, revoked].reduce(apiKeyDecider.evolve, apiKeyDecider.initialState());
    expect(state).toEqual({ status: 'revoked', keyId: 'k1k2k3k4', name: 'dana.steward', roles: ['data-steward'], secretHash: hash, expiresAt: null });
  });
});
