import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportJWK, generateKeyPair, type KeyLike, SignJWT } from 'jose';
import { hashApiKeySecret, parseApiKey, type Role, ROLES } from '@mgov/auth';
import { type Caller, issueApiKey, MgovClient } from '@mgov/demo-flow';
import type { RunningHost } from '@mgov/http-edge';
import { startEmbeddedPlatform } from '../src/embedded-platform';
import { bootstrapAdmin } from './access.fixture';
import { concretePath, type DiscoveredRoute, discoverRoutes } from './access-routes';

const ISSUER = 'https://idp.example.test';

function errorCode(body: string): string | undefined {
  try {
    return (JSON.parse(body) as { error?: { code?: string } })?.error?.code;
  } catch {
    return undefined; // not a JSON error (a stream, a document): the request got through
  }
}
const AUDIENCE = 'mgov';

describe('access control on every route (embedded runtime)', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'mgov-access-'));
  const admin = bootstrapAdmin();
  let host: RunningHost;
  let client: MgovClient;
  let jwks: Server;
  let signingKey: KeyLike;
  const holders = {} as Record<Role, Caller>;
  let routes: DiscoveredRoute[];

  const request = async (method: string, path: string, token?: string) => {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (token) headers.authorization = `Bearer ${token}`;
    const response = await fetch(`${host.url}${path}`, { method, headers, body: method === 'GET' ? undefined : '{}' });
    const text = await response.text();
    return { status: response.status, code: errorCode(text) };
  };
  const jwt = (claims: Record<string, unknown>, options: { key?: KeyLike; kid?: string; exp?: number | string } = {}) =>
    new SignJWT({ iss: ISSUER, aud: AUDIENCE, ...claims }).setProtectedHeader({ alg: 'RS256', kid: options.kid ?? 'k1' })
      .setSubject('jane@example.test').setIssuedAt().setExpirationTime(options.exp ?? '5m').sign(options.key ?? signingKey);

  beforeAll(async () => {
    const pair = await generateKeyPair('RS256');
    signingKey = pair.privateKey;
    const published = { keys: [{ ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' }] };
    jwks = createServer((_, response) => response.setHeader('content-type', 'application/json').end(JSON.stringify(published)));
    await new Promise<void>((resolve) => jwks.listen(0, '127.0.0.1', resolve));
    const { port } = jwks.address() as { port: number };
    host = await startEmbeddedPlatform({
      dataDir, port: 0, bootstrapToken: admin.token, jwt: { jwksUrl: `http://127.0.0.1:${port}/jwks.json`, issuer: ISSUER, audience: AUDIENCE },
    });
    client = new MgovClient(() => host.url);
    for (const role of ROLES) holders[role] = await issueApiKey(client, admin, `matrix.${role}`, [role]);
    routes = await discoverRoutes(host.app, host.url);
  }, 120_000);

  afterAll(async () => {
    await host?.stop();
    await new Promise((resolve) => jwks?.close(resolve));
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('finds every service\'s routes, each declaring who may call it', () => {
    const prefixes = new Set(routes.map((r) => r.path.split('/')[1]));
    expect([...prefixes]).toEqual(expect.arrayContaining(['lineage', 'experiment', 'registry', 'monitoring', 'retraining', 'audit', 'access', 'health']));
    expect(routes.length).toBeGreaterThanOrEqual(25);
    expect(routes.filter((r) => r.rule === null).map((r) => `${r.method} ${r.path}`)).toEqual([]);
    expect(routes.filter((r) => r.rule?.public).map((r) => `${r.method} ${r.path}`)).toEqual(['GET /health']);
  });

  it('keeps the policy\'s promises over whatever routes exist', () => {
    const allowed = (role: Role) => routes.filter((r) => r.rule && !r.rule.public && r.rule.roles.includes(role)).map((r) => `${r.method} ${r.path}`);
    // whoami only tells the caller about themselves.
    const inference = allowed('inference-service').filter((r) => r !== 'GET /access/whoami');
    expect(inference.filter((r) => !/^POST \/monitoring\/(predictions|outcomes)$/.test(r))).toEqual([]);
    expect(inference).toContain('POST /monitoring/predictions');
    // MLflow's searches are POSTs that only read (its API, not ours).
    const mlflowReads = /^POST \/api\/2\.0\/mlflow\/(experiments|runs|logged-models)\/search$/;
    expect(allowed('governance-auditor').filter((r) => r.startsWith('POST') && !r.startsWith('POST /audit/verify') && !mlflowReads.test(r))).toEqual([]);
    expect(routes.filter((r) => r.path.startsWith('/access/api-keys')).every((r) => r.rule && !r.rule.public && r.rule.roles.join() === 'admin')).toBe(true);
  });

  it('answers 401 without credentials, 403 to every role not named, and lets every named role (and admin) through', async () => {
    const mismatches: string[] = [];
    for (const route of routes) {
      const path = concretePath(route.path);
      const label = `${route.method} ${route.path}`;
      const anonymous = await request(route.method, path);
      if (route.rule?.public) {
        if ([401, 403].includes(anonymous.status)) mismatches.push(`${label} anonymous: ${anonymous.status}`);
        continue;
      }
      if (anonymous.status !== 401 || anonymous.code !== 'AUTH.UNAUTHENTICATED') mismatches.push(`${label} anonymous: ${anonymous.status} ${anonymous.code}`);
      const permitted = route.rule?.roles ?? [];
      for (const role of ROLES) {
        const answer = await request(route.method, path, holders[role].token);
        const mayCall = role === 'admin' || permitted.includes(role);
        if (mayCall && ([401, 403].includes(answer.status) || answer.status >= 500)) mismatches.push(`${label} as ${role}: ${answer.status} ${answer.code}`);
        if (!mayCall && (answer.status !== 403 || answer.code !== 'AUTH.FORBIDDEN')) mismatches.push(`${label} as ${role}: ${answer.status} ${answer.code}, expected 403`);
      }
    }
    expect(mismatches).toEqual([]);
  }, 120_000);

  it('admits a person with a JWT from the JWKS, and records their subject and role on the events they cause', async () => {
    const token = await jwt({ roles: ['data-steward', 'made-up'] });
    const person = { name: 'jane', token };
    const { sourceId } = await client.call<{ sourceId: string }>('lineage', 'POST', '/lineage/sources', person, { name: 's', kind: 'internal', license: 'MIT', owner: 'o' });
    const lineage = host.kernels.find((k) => k.runtime.name === 'lineage')!.runtime;
    const [stored] = await lineage.store.readStream(`source:${sourceId}`);
    expect(lineage.codec.decodeEvent(stored.data).envelope.actor).toEqual({ id: 'jane@example.test', role: 'data-steward' });
    expect(await request('POST', '/registry/models/m/candidates', token)).toMatchObject({ status: 403, code: 'AUTH.FORBIDDEN' });
  });

  it('refuses an expired JWT, a foreign issuer or audience, and an unknown signing key with 401', async () => {
    const stranger = (await generateKeyPair('RS256')).privateKey;
    const cases: Array<[Promise<string>, string]> = [
      [jwt({ roles: ['data-steward'] }, { exp: Math.floor(Date.now() / 1000) - 600 }), 'AUTH.TOKEN_EXPIRED'],
      [jwt({ roles: ['data-steward'], iss: 'https://elsewhere.test' }), 'AUTH.TOKEN_WRONG_ISSUER'],
      [jwt({ roles: ['data-steward'], aud: 'someone-else' }), 'AUTH.TOKEN_WRONG_AUDIENCE'],
      [jwt({ roles: ['data-steward'] }, { key: stranger }), 'AUTH.TOKEN_INVALID'],
      [jwt({ roles: ['data-steward'] }, { key: stranger, kid: 'k2' }), 'AUTH.TOKEN_INVALID'],
    ];
    for (const [token, code] of cases) expect(await request('GET', '/lineage/sources', await token)).toEqual({ status: 401, code });
  });

  it('stops accepting a revoked key from the very next request', async () => {
    const key = await issueApiKey(client, admin, 'temp.steward', ['data-steward']);
    expect((await request('GET', '/lineage/sources', key.token)).status).toBe(200);
    await client.call('audit', 'POST', `/access/api-keys/${key.keyId}/revoke`, admin, { reason: 'test' });
    expect(await request('GET', '/lineage/sources', key.token)).toEqual({ status: 401, code: 'AUTH.API_KEY_REVOKED' });
    expect(await request('GET', '/monitoring/models/m/versions/1', key.token)).toEqual({ status: 401, code: 'AUTH.API_KEY_REVOKED' });
    // And every service's own projection learns of it too (what the distributed runtime relies on).
    await client.eventually('every service to project the revocation', async () => {
      const rows = await Promise.all(host.kernels.map((k) => host.kernels[0].runtime.db.query<{ revoked: boolean }>(
        `SELECT revoked FROM ${k.runtime.schema}.api_keys_v1 WHERE key_id = $1`, [key.keyId])));
      return rows.every((r) => r[0]?.revoked === true);
    });
  });

  it('given a suspended principal, then its API keys and its identity-provider tokens are refused until it is reinstated', async () => {
    const key = await issueApiKey(client, admin, 'jane@example.test', ['data-steward']);
    const token = await jwt({ roles: ['data-steward'] });
    expect((await request('GET', '/lineage/sources', key.token)).status).toBe(200);
    expect((await request('GET', '/lineage/sources', token)).status).toBe(200);

    await expect(client.call('audit', 'POST', '/access/principals/jane@example.test/suspend', holders.admin, {})).rejects.toMatchObject({ status: 400, code: 'ACCESS.REASON_REQUIRED' });
    await expect(client.call('audit', 'POST', '/access/principals/jane@example.test/suspend', holders['data-steward'], { reason: 'x' })).rejects.toMatchObject({ status: 403 });
    expect(await client.call('audit', 'POST', '/access/principals/jane@example.test/suspend', admin, { reason: 'laptop stolen' }))
      .toEqual({ subject: 'jane@example.test', suspended: true, changed: true });
    for (const credential of [key.token, token]) {
      expect(await request('GET', '/lineage/sources', credential)).toEqual({ status: 401, code: 'AUTH.PRINCIPAL_SUSPENDED' });
      expect(await request('GET', '/monitoring/models/m/versions/1', credential)).toEqual({ status: 401, code: 'AUTH.PRINCIPAL_SUSPENDED' });
    }
    await client.eventually('every service to project the suspension', async () => {
      const rows = await Promise.all(host.kernels.map((k) => host.kernels[0].runtime.db.query(
        `SELECT 1 FROM ${k.runtime.schema}.suspended_principals_v1 WHERE subject = $1`, ['jane@example.test'])));
      return rows.every((r) => r.length === 1);
    });
    expect(await client.call('audit', 'GET', '/access/principals/suspended', admin)).toEqual([expect.objectContaining({ subject: 'jane@example.test', reason: 'laptop stolen' })]);

    expect(await client.call('audit', 'POST', '/access/principals/jane@example.test/reinstate', admin, { reason: 'new laptop' }))
      .toEqual({ subject: 'jane@example.test', suspended: false, changed: true });
    expect((await request('GET', '/lineage/sources', key.token)).status).toBe(200);
    expect((await request('GET', '/lineage/sources', token)).status).toBe(200);
  });

  it('keeps only the hash: no table, event or list response ever holds a key\'s secret', async () => {
    const key = await issueApiKey(client, admin, 'secretive', ['ml-engineer']);
    const { secret } = parseApiKey(key.token)!;
    const hash = hashApiKeySecret(secret);
    const db = host.kernels[0].runtime.db;
    await client.eventually('every service to project the key', async () => {
      const rows = await Promise.all(host.kernels.map((k) => db.query(`SELECT 1 FROM ${k.runtime.schema}.api_keys_v1 WHERE key_id = $1`, [key.keyId])));
      return rows.every((r) => r.length === 1);
    });

    const audit = host.kernels.find((k) => k.runtime.name === 'audit')!.runtime;
    const [issued] = await audit.store.readStream(`api-key:${key.keyId}`);
    expect(audit.codec.decodeEvent(issued.data)).toMatchObject({ type: 'ApiKeyIssued', data: { secretHash: hash, hashAlgorithm: 'sha256', roles: ['ml-engineer'] } });

    const tables = await db.query<{ table_schema: string; table_name: string }>(
      `SELECT table_schema, table_name FROM information_schema.tables WHERE table_schema LIKE 'mgov%' AND table_type = 'BASE TABLE'`);
    const asHex = (text: string) => Buffer.from(text, 'utf8').toString('hex');
    const holding = (needle: string) => async () => {
      const found: string[] = [];
      for (const t of tables) {
        const rows = await db.query<{ row: string }>(`SELECT t::text AS row FROM "${t.table_schema}"."${t.table_name}" t`);
        if (rows.some((r) => r.row.includes(needle) || r.row.includes(asHex(needle)))) found.push(`${t.table_schema}.${t.table_name}`);
      }
      return found;
    };
    expect(tables.length).toBeGreaterThan(10);
    expect(await holding(secret)()).toEqual([]);
    // The same scan does find the hash (in the log, the bus and every service's projection).
    expect(await holding(hash)()).toEqual(expect.arrayContaining(['mgov_audit.events', 'mgov_lineage.api_keys_v1', 'mgov_monitoring.api_keys_v1']));

    const listed = await client.eventually('the key in the list', async () => {
      const keys = await client.call<Array<{ keyId: string }>>('audit', 'GET', '/access/api-keys', admin);
      return keys.some((k) => k.keyId === key.keyId) ? keys : undefined;
    });
    const text = JSON.stringify(listed);
    expect(text).not.toContain(secret);
    expect(text).not.toContain(hash);
    expect(listed.find((k) => k.keyId === key.keyId)).toEqual({
      keyId: key.keyId, name: 'secretive', roles: ['ml-engineer'], status: 'active', issuedAt: expect.any(String),
      issuedBy: 'bootstrap-admin', expiresAt: null, revokedAt: null, revokedBy: null,
    });
  });

  it('lets only admins manage keys, and refuses unknown roles', async () => {
    expect(await request('POST', '/access/api-keys', holders['model-reviewer'].token)).toEqual({ status: 403, code: 'AUTH.FORBIDDEN' });
    const unknown = await fetch(`${host.url}/access/api-keys`, {
      method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${admin.token}` }, body: JSON.stringify({ name: 'x', roles: ['superuser'] }),
    });
    expect(unknown.status).toBe(400);
    expect(((await unknown.json()) as { error: { code: string } }).error.code).toBe('ACCESS.UNKNOWN_ROLE');
  });
});
