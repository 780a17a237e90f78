import { Controller, type DynamicModule, Get, type INestApplication, Module, Post } from '@nestjs/common';
import { formatApiKey, hashApiKeySecret } from '@mgov/auth';
import type { CommandMetadata } from '@mgov/decider';
import type { ProjectedApiKey } from '@mgov/service-runtime';
import { Public, Requires } from './access-decorators';
import { Authenticator } from './authenticator';
import { createHttpApp } from './http-app';
import { Metadata } from './request-actor';

@Controller('things')
class ThingsController {
  @Post()
  @Requires('data-steward', 'model-reviewer')
  create(@Metadata() metadata: CommandMetadata) {
    return metadata.actor;
  }

  @Get('open')
  @Public()
  open() {
    return { open: true };
  }

  @Get('forgotten')
  forgotten() {
    return { leaked: true };
  }
}

@Module({ controllers: [ThingsController] })
class ThingsModule {}

const secret = 'x'.repeat(43);
const holders: Record<string, string[]> = { steward: ['data-steward'], both: ['governance-auditor', 'model-reviewer'], root: ['admin'], auditor: ['governance-auditor'] };
const keys: ProjectedApiKey[] = Object.entries(holders).map(([name, roles]) => ({
  keyId: `${name}0000`, name, roles, secretHash: hashApiKeySecret(secret), expiresAt: null, revoked: false,
}));
const tokenOf = (name: string) => formatApiKey({ keyId: `${name}0000`, secret });

describe('the access guard', () => {
  let app: INestApplication;
  let url: string;
  let ready = true;
  const call = async (method: string, path: string, name?: string) => {
    const response = await fetch(`${url}${path}`, { method, headers: name ? { authorization: `Bearer ${tokenOf(name)}` } : {} });
    return { status: response.status, body: (await response.json()) as { id?: string; role?: string; error?: { code: string; message: string } } & Record<string, unknown>, challenge: response.headers.get('www-authenticate') };
  };

  beforeAll(async () => {
    const authenticator = new Authenticator({ apiKeys: { find: async (id) => keys.find((k) => k.keyId === id) ?? null, suspension: async () => null }, jwt: null });
    app = await createHttpApp({
      title: 'guard test', modules: [{ module: ThingsModule } as DynamicModule], authenticator,
      readiness: { ready: () => ready, services: () => [] },
    });
    await app.listen(0, '127.0.0.1');
    url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  });
  afterAll(() => app?.close());

  it('lets anyone reach public routes, /openapi.json and /metrics', async () => {
    expect((await call('GET', '/health')).status).toBe(200);
    expect((await call('GET', '/things/open')).status).toBe(200);
    expect((await fetch(`${url}/metrics`)).status).toBe(200);
    expect((await fetch(`${url}/openapi.json`)).status).toBe(200);
  });

  it('closes a route that declares no rule, even to admins', async () => {
    for (const name of [undefined, 'root']) {
      expect(await call('GET', '/things/forgotten', name)).toMatchObject({ status: 403, body: { error: { code: 'AUTH.UNDECLARED_ROUTE' } } });
    }
  });

  it('asks for credentials with 401 and a Bearer challenge', async () => {
    const refused = await call('POST', '/things');
    expect(refused).toMatchObject({ status: 401, body: { error: { code: 'AUTH.UNAUTHENTICATED' } }, challenge: 'Bearer realm="mgov"' });
  });

  it('refuses a role the route does not name with 403, naming the roles it needs', async () => {
    const refused = await call('POST', '/things', 'auditor');
    expect(refused).toMatchObject({ status: 403, body: { error: { code: 'AUTH.FORBIDDEN' } } });
    expect(refused.body.error?.message).toContain('data-steward, model-reviewer, admin');
  });

  it('acts in the role that satisfied the route; admin always passes', async () => {
    expect(await call('POST', '/things', 'steward')).toMatchObject({ status: 201, body: { id: 'steward', role: 'data-steward' } });
    expect(await call('POST', '/things', 'both')).toMatchObject({ status: 201, body: { id: 'both', role: 'model-reviewer' } });
    expect(await call('POST', '/things', 'root')).toMatchObject({ status: 201, body: { id: 'root', role: 'admin' } });
  });

  it('tells a caller who they are', async () => {
    expect(await call('GET', '/access/whoami', 'both')).toMatchObject({
      status: 200, body: { id: 'both', roles: ['governance-auditor', 'model-reviewer'], via: 'api-key', keyId: 'both0000' },
    });
  });

  it('publishes each rule in the OpenAPI document', async () => {
    const document = (await (await fetch(`${url}/openapi.json`)).json()) as { paths: Record<string, Record<string, Record<string, unknown>>> };
    expect(document.paths['/things'].post['x-mgov-roles']).toEqual(['data-steward', 'model-reviewer']);
    expect(document.paths['/things/open'].get['x-mgov-public']).toBe(true);
    expect(document.paths['/health'].get['x-mgov-public']).toBe(true);
  });

  it('answers 503 until the services have started', async () => {
    ready = false;
    try {
      expect(await call('POST', '/things', 'steward')).toMatchObject({ status: 503, body: { error: { code: 'HTTP.STARTING' } } });
    } finally {
      ready = true;
    }
  });
});
