import { createServer } from 'node:net';
import { exportSPKI, generateKeyPair, type KeyLike, SignJWT } from 'jose';
import { formatApiKey, hashApiKeySecret } from '@mgov/auth';
import type { ProjectedApiKey } from '@mgov/service-runtime';
import { Authenticator } from './authenticator';
import { jwtSettingsFromEnv } from './jwt-settings';
import { jwtVerifier, rolesIn } from './jwt-verifier';

const now = Date.now();
const secret = 's'.repeat(43);
const key = (overrides: Partial<ProjectedApiKey> = {}): ProjectedApiKey => ({
  keyId: 'k1k2k3k4', name: 'dana.steward', roles: ['data-steward'], secretHash: hashApiKeySecret(secret), expiresAt: null, revoked: false, ...overrides,
});
const bearer = (token: string) => `Bearer ${token}`;
const apiKey = formatApiKey({ keyId: 'k1k2k3k4', secret });

function withKeys(...keys: ProjectedApiKey[]) {
  return new Authenticator({ apiKeys: { find: async (id) => keys.find((k) => k.keyId === id) ?? null, suspension: async () => null }, jwt: null, now: () => now });
}

const refusal = (promise: Promise<unknown>) => promise.then(() => { throw new Error('expected a refusal'); }, (error) => error);

describe('authenticating an API key', () => {
  it('admits the holder under the key name with its roles', async () => {
    expect(await withKeys(key()).authenticate(bearer(apiKey))).toEqual({ id: 'dana.steward', roles: ['data-steward'], via: 'api-key', keyId: 'k1k2k3k4' });
    expect(await withKeys(key()).authenticate(`bearer   ${apiKey}`)).toMatchObject({ id: 'dana.steward' });
  });

  it.each([
    ['no header', undefined, 'AUTH.UNAUTHENTICATED'],
    ['an empty header', '  ', 'AUTH.UNAUTHENTICATED'],
    ['another scheme', `Basic ${Buffer.from('a:b').toString('base64')}`, 'AUTH.MALFORMED_CREDENTIAL'],
    ['a bare token', apiKey, 'AUTH.MALFORMED_CREDENTIAL'],
    ['gibberish', bearer('letmein'), 'AUTH.MALFORMED_CREDENTIAL'],
    ['a truncated key', bearer(apiKey.slice(0, 20)), 'AUTH.MALFORMED_CREDENTIAL'],
    ['an unknown key id', bearer(formatApiKey({ keyId: 'zzzzzzzz', secret })), 'AUTH.UNKNOWN_API_KEY'],
    ['a wrong secret', bearer(formatApiKey({ keyId: 'k1k2k3k4', secret: 't'.repeat(43) })), 'AUTH.UNKNOWN_API_KEY'],
    ['a JWT while none are accepted', bearer('eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln'), 'AUTH.JWT_NOT_ACCEPTED'],
  ])('refuses %s with 401', async (_, header, code) => {
    expect(await refusal(withKeys(key()).authenticate(header))).toMatchObject({ code, status: 401 });
  });

  it('says how to authenticate when no credential came', async () => {
    const error = await refusal(withKeys().authenticate(undefined));
    expect(error.message).toContain('Authorization: Bearer');
    expect(error.message).toContain('POST /access/api-keys');
  });

  it('refuses a revoked or expired key only to its rightful holder', async () => {
    expect(await refusal(withKeys(key({ revoked: true })).authenticate(bearer(apiKey)))).toMatchObject({ code: 'AUTH.API_KEY_REVOKED', status: 401 });
    expect(await refusal(withKeys(key({ expiresAt: now })).authenticate(bearer(apiKey)))).toMatchObject({ code: 'AUTH.API_KEY_EXPIRED', status: 401 });
    const wrongSecret = bearer(formatApiKey({ keyId: 'k1k2k3k4', secret: 't'.repeat(43) }));
    expect(await refusal(withKeys(key({ revoked: true })).authenticate(wrongSecret))).toMatchObject({ code: 'AUTH.UNKNOWN_API_KEY' });
    expect(await withKeys(key({ expiresAt: now + 1 })).authenticate(bearer(apiKey))).toMatchObject({ id: 'dana.steward' });
  });

  it('refuses every key of a suspended principal, saying why', async () => {
    const suspended = new Authenticator({ apiKeys: { find: async () => key(), suspension: async (subject) => (subject === 'dana.steward' ? 'laptop stolen' : null) }, jwt: null, now: () => now });
    expect(await refusal(suspended.authenticate(bearer(apiKey)))).toMatchObject({ code: 'AUTH.PRINCIPAL_SUSPENDED', status: 401, message: expect.stringContaining('laptop stolen') });
  });

  it('never echoes the secret in a refusal', async () => {
    for (const k of [key({ revoked: true }), key({ expiresAt: 1 }), key({ secretHash: '00'.repeat(32) })]) {
      expect((await refusal(withKeys(k).authenticate(bearer(apiKey)))).message).not.toContain(secret);
    }
  });
});

describe('authenticating a JWT', () => {
  const hmac = 'a-shared-secret-of-at-least-32-bytes!';
  let rsa: { publicKey: KeyLike; privateKey: KeyLike };
  beforeAll(async () => {
    rsa = await generateKeyPair('RS256');
  });
  const sign = (claims: Record<string, unknown>, { key, alg, exp = '5m' }: { key: KeyLike | Uint8Array; alg: string; exp?: string | number }) =>
    new SignJWT(claims).setProtectedHeader({ alg }).setSubject('sam@example.org').setIssuedAt().setExpirationTime(exp).sign(key);
  const hs = (claims: Record<string, unknown>, exp?: string | number) => sign(claims, { key: new TextEncoder().encode(hmac), alg: 'HS256', exp });
  const authenticator = (settings: Parameters<typeof jwtVerifier>[0]) =>
    new Authenticator({ apiKeys: { find: async () => null, suspension: async (subject) => (subject === 'suspended@example.org' ? 'laptop stolen' : null) }, jwt: jwtVerifier(settings) });

  it('admits the subject with the roles of the configured claim (HS256 secret)', async () => {
    const token = await hs({ roles: ['data-scientist', 'not-an-mgov-role'], iss: 'https://idp', aud: 'mgov' });
    const principal = await authenticator({ secret: hmac, issuer: 'https://idp', audience: 'mgov' }).authenticate(bearer(token));
    expect(principal).toEqual({ id: 'sam@example.org', roles: ['data-scientist'], via: 'jwt' });
  });

  it('refuses a valid token whose subject is suspended (a JWT cannot be revoked on its own)', async () => {
    const token = await sign({ roles: ['data-scientist'] }, { key: new TextEncoder().encode(hmac), alg: 'HS256' });
    const suspended = new Authenticator({ apiKeys: { find: async () => null, suspension: async (subject) => (subject === 'sam@example.org' ? 'left the company' : null) }, jwt: jwtVerifier({ secret: hmac }) });
    expect(await refusal(suspended.authenticate(bearer(token)))).toMatchObject({ code: 'AUTH.PRINCIPAL_SUSPENDED', message: expect.stringContaining('left the company') });
  });

  it('admits a token signed by the configured public key (PEM)', async () => {
    const token = await sign({ realm_access: { roles: ['model-reviewer'] } }, { key: rsa.privateKey, alg: 'RS256' });
    const principal = await authenticator({ publicKey: await exportSPKI(rsa.publicKey), rolesClaim: 'realm_access.roles' }).authenticate(bearer(token));
    expect(principal).toMatchObject({ id: 'sam@example.org', roles: ['model-reviewer'] });
  });

  it.each([
    ['an expired token', async () => hs({ roles: [], iss: 'https://idp', aud: 'mgov' }, Math.floor(now / 1000) - 3600), 'AUTH.TOKEN_EXPIRED'],
    ['another issuer', async () => hs({ iss: 'https://evil', aud: 'mgov' }), 'AUTH.TOKEN_WRONG_ISSUER'],
    ['no issuer', async () => hs({ aud: 'mgov' }), 'AUTH.TOKEN_WRONG_ISSUER'],
    ['another audience', async () => hs({ iss: 'https://idp', aud: 'other' }), 'AUTH.TOKEN_WRONG_AUDIENCE'],
    ['another key', async () => sign({ iss: 'https://idp', aud: 'mgov' }, { key: new TextEncoder().encode('x'.repeat(40)), alg: 'HS256' }), 'AUTH.TOKEN_INVALID'],
    ['the public key used as an HMAC secret', async () => sign({ iss: 'https://idp', aud: 'mgov' }, { key: rsa.privateKey, alg: 'RS256' }), 'AUTH.TOKEN_INVALID'],
    ['no expiry', async () => new SignJWT({ iss: 'https://idp', aud: 'mgov' }).setProtectedHeader({ alg: 'HS256' }).setSubject('s').sign(new TextEncoder().encode(hmac)), 'AUTH.TOKEN_INVALID'],
    ['no subject', async () => new SignJWT({ iss: 'https://idp', aud: 'mgov' }).setProtectedHeader({ alg: 'HS256' }).setExpirationTime('5m').sign(new TextEncoder().encode(hmac)), 'AUTH.TOKEN_INVALID'],
  ])('refuses %s with 401', async (_, token, code) => {
    const error = await refusal(authenticator({ secret: hmac, issuer: 'https://idp', audience: 'mgov' }).authenticate(bearer(await token())));
    expect(error).toMatchObject({ code, status: 401 });
  });

  it('answers 503 when the JWKS cannot be fetched, rather than blaming the token', async () => {
    const port = await new Promise<number>((resolve) => {
      const server = createServer().listen(0, '127.0.0.1', () => {
        const { port } = server.address() as { port: number };
        server.close(() => resolve(port));
      });
    });
    const token = await sign({}, { key: rsa.privateKey, alg: 'RS256' });
    const error = await refusal(authenticator({ jwksUrl: `http://127.0.0.1:${port}/jwks.json` }).authenticate(bearer(token)));
    expect(error).toMatchObject({ code: 'AUTH.JWKS_UNAVAILABLE', status: 503 });
  });

  it('reads roles from a list or a space-separated string', () => {
    expect(rolesIn({ roles: 'admin data-steward x' }, 'roles')).toEqual(['admin', 'data-steward']);
    expect(rolesIn({ a: { b: ['ml-engineer'] } }, 'a.b')).toEqual(['ml-engineer']);
    expect(rolesIn({}, 'roles')).toEqual([]);
  });
});

describe('JWT settings from the environment', () => {
  it('are absent without a key source, and take one key source only', () => {
    expect(jwtSettingsFromEnv({})).toBeNull();
    expect(jwtSettingsFromEnv({ MGOV_JWT_SECRET: 'x', MGOV_JWT_ISSUER: 'i', MGOV_JWT_ROLES_CLAIM: 'groups' })).toMatchObject({ secret: 'x', issuer: 'i', rolesClaim: 'groups' });
    expect(() => jwtSettingsFromEnv({ MGOV_JWT_SECRET: 'x', MGOV_JWT_JWKS_URL: 'http://idp' })).toThrow(/only one/);
    expect(() => jwtSettingsFromEnv({ MGOV_JWT_ISSUER: 'i' })).toThrow(/no key/);
    expect(jwtSettingsFromEnv({ MGOV_JWT_PUBLIC_KEY: '-----BEGIN\\nabc' })?.publicKey).toBe('-----BEGIN\nabc');
  });

  it('refuse a short HMAC secret at start-up', () => {
    expect(() => jwtVerifier({ secret: 'short' })).toThrow(/32 bytes/);
  });
});
