import { runMgov } from './cli-harness';
import { StubServer } from './stub-server';

// `mgov auth …` against a stub MGov that records what it was sent.
const stub = new StubServer();
const mgov = (args: readonly string[], env: Record<string, string> = {}) => runMgov(args, { MGOV_URL: stub.url, MGOV_TOKEN: 'mgov_admin01_secret', ...env });

beforeAll(() => stub.start());
afterAll(() => stub.stop());
beforeEach(() => stub.reset());

const TOKEN = `mgov_3f9a0c1b2d4e5f60_${'s'.repeat(43)}`;
const NOTICE = 'store this token now: MGov keeps only its hash and cannot show it again';
const ISSUED = { keyId: '3f9a0c1b2d4e5f60', name: 'ci pipeline', roles: ['ml-engineer', 'data-scientist'], expiresAt: '2031-01-31T00:00:00.000Z', token: TOKEN, notice: NOTICE };
const KEYS = [
  { keyId: 'bootstrap', name: 'bootstrap admin', roles: ['admin'], status: 'active', issuedAt: '2030-01-01T00:00:00.000Z', issuedBy: 'mgov', expiresAt: null, revokedAt: null, revokedBy: null },
  {
    keyId: '3f9a0c1b2d4e5f60', name: 'ci pipeline', roles: ['ml-engineer'], status: 'revoked', issuedAt: '2030-01-02T00:00:00.000Z', issuedBy: 'dana',
    expiresAt: null, revokedAt: '2030-01-03T00:00:00.000Z', revokedBy: 'dana',
  },
];

describe('mgov auth whoami', () => {
  const me = { id: 'key:3f9a0c1b2d4e5f60', roles: ['ml-engineer'], via: 'api-key', keyId: '3f9a0c1b2d4e5f60' };

  it('asks GET /access/whoami with the bearer token and prints the answer as it came', async () => {
    stub.on('GET /access/whoami', me);
    const { code, stdout } = await mgov(['auth', 'whoami', '--token', TOKEN]);
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual(me);
    expect(stub.requests.map((r) => [r.method, r.path, r.headers.authorization])).toEqual([['GET', '/access/whoami', `Bearer ${TOKEN}`]]);
  });

  it('prints id, roles, via and key id as a table', async () => {
    stub.on('GET /access/whoami', { id: 'dana@example.org', roles: ['data-steward', 'admin'], via: 'jwt', keyId: null });
    const { code, stdout } = await mgov(['auth', 'whoami', '--format', 'table']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/│ id\s+│ dana@example\.org\s+│/);
    expect(stdout).toMatch(/│ roles\s+│ data-steward, admin\s+│/);
    expect(stdout).toMatch(/│ via\s+│ jwt\s+│/);
  });

  it('a refused token exits 1 with the server\'s code and message', async () => {
    stub.on('GET /access/whoami', { error: { code: 'ACCESS.UNAUTHENTICATED', message: 'the API key is revoked' } }, 401);
    const { code, stdout, stderr } = await mgov(['auth', 'whoami']);
    expect({ code, stdout, stderr }).toEqual({ code: 1, stdout: '', stderr: 'error ACCESS.UNAUTHENTICATED: the API key is revoked\n' });
  });
});

describe('mgov auth key create', () => {
  it('sends name, roles and expiry; json prints the whole response, and stderr says the token is not shown again', async () => {
    stub.on('POST /access/api-keys', ISSUED, 201);
    const args = ['auth', 'key', 'create', '--name', 'ci pipeline', '--role', 'ml-engineer', '--role', 'data-scientist', '--expires-at', '2031-01-31T00:00:00Z', '--format', 'json'];
    const { code, stdout, stderr } = await mgov(args);
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual(ISSUED);
    expect(stderr).toBe(`${NOTICE}\n`);
    expect(stub.requests.map((r) => [r.method, r.path, r.body, r.headers.authorization])).toEqual([
      ['POST', '/access/api-keys', { name: 'ci pipeline', roles: ['ml-engineer', 'data-scientist'], expiresAt: '2031-01-31T00:00:00Z' }, 'Bearer mgov_admin01_secret'],
    ]);
  });

  it('as a table, prints the token exactly once, after the key', async () => {
    stub.on('POST /access/api-keys', { ...ISSUED, expiresAt: null }, 201);
    const { code, stdout, stderr } = await mgov(['auth', 'key', 'create', '--name', 'ci pipeline', '--role', 'ml-engineer', 'data-scientist', '--format', 'table']);
    expect(code).toBe(0);
    expect(stub.requests[0]!.body).toEqual({ name: 'ci pipeline', roles: ['ml-engineer', 'data-scientist'] });
    expect(stdout).toMatch(/│ keyId\s+│ 3f9a0c1b2d4e5f60\s+│/);
    expect(stdout).toMatch(/│ roles\s+│ ml-engineer, data-scientist\s+│/);
    expect(stdout.split(TOKEN)).toHaveLength(2);
    expect(stdout.endsWith(`\ntoken: ${TOKEN}\n`)).toBe(true);
    expect(stderr).toContain('cannot show it again');
  });

  it.each([
    ['an unknown role', ['--role', 'superuser'], 'superuser is not a role; choose from data-steward'],
    ['no role', [], "required option '--role <role...>' not specified"],
    ['an expiry that is not a time', ['--role', 'admin', '--expires-at', 'next tuesday'], 'give an ISO 8601 time'],
  ])('%s is a usage error (exit 2) and nothing is sent', async (_name, extra, reason) => {
    const { code, stderr } = await mgov(['auth', 'key', 'create', '--name', 'k', ...extra]);
    expect(code).toBe(2);
    expect(stderr).toContain(reason);
    expect(stub.requests).toEqual([]);
  });

  it('a caller who is not an admin gets exit 1', async () => {
    stub.on('POST /access/api-keys', { error: { code: 'ACCESS.FORBIDDEN', message: 'this route requires the role admin' } }, 403);
    const { code, stderr } = await mgov(['auth', 'key', 'create', '--name', 'k', '--role', 'admin']);
    expect(code).toBe(1);
    expect(stderr).toBe('error ACCESS.FORBIDDEN: this route requires the role admin\n');
  });
});

describe('mgov auth key list', () => {
  it('prints the keys as they came (json)', async () => {
    stub.on('GET /access/api-keys', KEYS);
    const { code, stdout } = await mgov(['auth', 'key', 'list']);
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual(KEYS);
    expect(stub.requests.map((r) => `${r.method} ${r.path}`)).toEqual(['GET /access/api-keys']);
  });

  it('prints one row per key (table)', async () => {
    stub.on('GET /access/api-keys', KEYS);
    const { code, stdout } = await mgov(['auth', 'key', 'list', '--format', 'table']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/│ key\s+│ name\s+│ roles\s+│ status\s+│/);
    expect(stdout).toMatch(/│ bootstrap\s+│ bootstrap admin\s+│ admin\s+│ active\s+│/);
    expect(stdout).toMatch(/│ 3f9a0c1b2d4e5f60\s+│ ci pipeline\s+│ ml-engineer\s+│ revoked\s+│.*│ 2030-01-03T00:00:00\.000Z by dana\s+│/);
  });
});

describe('mgov auth key revoke', () => {
  it('posts the reason to POST /access/api-keys/:id/revoke', async () => {
    const answer = { keyId: '3f9a0c1b2d4e5f60', revoked: true, changed: true };
    stub.on('POST /access/api-keys/3f9a0c1b2d4e5f60/revoke', answer);
    const { code, stdout } = await mgov(['auth', 'key', 'revoke', '3f9a0c1b2d4e5f60', '--reason', 'leaked in a CI log']);
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual(answer);
    expect(stub.requests.map((r) => [r.method, r.path, r.body])).toEqual([['POST', '/access/api-keys/3f9a0c1b2d4e5f60/revoke', { reason: 'leaked in a CI log' }]]);
  });

  it('without --reason sends an empty body, and says when the key was already revoked', async () => {
    stub.on('POST /access/api-keys/3f9a0c1b2d4e5f60/revoke', { keyId: '3f9a0c1b2d4e5f60', revoked: true, changed: false });
    const { code, stdout, stderr } = await mgov(['auth', 'key', 'revoke', '3f9a0c1b2d4e5f60', '--format', 'table']);
    expect(code).toBe(0);
    expect(stub.requests[0]!.body).toEqual({});
    expect(stdout).toMatch(/│ changed\s+│ false\s+│/);
    expect(stderr).toBe('key 3f9a0c1b2d4e5f60 was already revoked\n');
  });

  it('a token given instead of the key id is a usage error, and nothing is sent', async () => {
    const { code, stderr } = await mgov(['auth', 'key', 'revoke', TOKEN]);
    expect(code).toBe(2);
    expect(stderr).toContain('give the key id (see `mgov auth key list`), not the token');
    expect(stub.requests).toEqual([]);
  });
});

describe('mgov auth principal', () => {
  it('suspends and reinstates a principal by name, URL-encoded, with the reason', async () => {
    stub.on('POST /access/principals/sam%40example.com/suspend', { subject: 'sam@example.com', suspended: true, changed: true });
    stub.on('POST /access/principals/sam%40example.com/reinstate', { subject: 'sam@example.com', suspended: false, changed: true });
    const suspended = await mgov(['auth', 'principal', 'suspend', 'sam@example.com', '--reason', 'laptop stolen']);
    expect(suspended.code).toBe(0);
    expect(JSON.parse(suspended.stdout)).toEqual({ subject: 'sam@example.com', suspended: true, changed: true });
    const reinstated = await mgov(['--format', 'table', 'auth', 'principal', 'reinstate', 'sam@example.com', '--reason', 'new laptop']);
    expect(reinstated.code).toBe(0);
    expect(reinstated.stdout).toMatch(/│ suspended\s+│ false\s+│/);
    expect(stub.requests.map((r) => [r.method, r.body])).toEqual([['POST', { reason: 'laptop stolen' }], ['POST', { reason: 'new laptop' }]]);
  });

  it('needs a reason (usage error, nothing sent), and lists the suspended', async () => {
    const { code } = await mgov(['auth', 'principal', 'suspend', 'sam@example.com']);
    expect(code).toBe(2);
    expect(stub.requests).toEqual([]);
    stub.on('GET /access/principals/suspended', [{ subject: 'sam@example.com', reason: 'laptop stolen', suspended_at_ms: '1' }]);
    const listed = await mgov(['--format', 'table', 'auth', 'principal', 'suspended']);
    expect(listed.stdout).toContain('laptop stolen');
  });
});
