import type { INestApplication } from '@nestjs/common';
import { OPENAPI_PUBLIC, OPENAPI_ROLES, type Role } from '@mgov/http-edge';

/** One HTTP route of a running app and the rule it declares (null: none — a bug the tests report). */
export interface DiscoveredRoute {
  readonly method: string;
  readonly path: string;
  readonly rule: { readonly public: true } | { readonly public: false; readonly roles: readonly Role[] } | null;
}

interface ExpressLayer {
  route?: { path: string; methods: Record<string, boolean> };
}

type OpenApiPaths = Record<string, Record<string, Record<string, unknown>>>;

/** Routes that bypass Nest, and so the guard, on purpose (documented in createHttpApp). */
export const UNGUARDED = ['GET /openapi.json', 'GET /metrics'];

/**
 * Every route the running app serves, read from Express' router (not from a list kept by hand), with
 * the rule its OpenAPI operation publishes (`@Requires` and `@Public` write both).
 */
export async function discoverRoutes(app: INestApplication, url: string): Promise<DiscoveredRoute[]> {
  const express = app.getHttpAdapter().getInstance() as { router: { stack: ExpressLayer[] } };
  const served = express.router.stack.flatMap((layer) => (layer.route
    ? Object.entries(layer.route.methods).filter(([, on]) => on).map(([method]) => ({ method: method.toUpperCase(), path: layer.route!.path }))
    : []));
  const document = (await (await fetch(`${url}/openapi.json`)).json()) as { paths: OpenApiPaths };
  const operations = new Map<string, Record<string, unknown>>();
  for (const [path, methods] of Object.entries(document.paths)) {
    for (const [method, operation] of Object.entries(methods)) operations.set(`${method.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`, operation);
  }
  return served
    .filter((route) => !UNGUARDED.includes(`${route.method} ${route.path}`))
    .map((route) => {
      // A wildcard (`*path`) is a `{path}` parameter in the OpenAPI document.
      const operation = operations.get(`${route.method} ${route.path.replace(/\*(\w+)/g, ':$1')}`);
      const roles = operation?.[OPENAPI_ROLES] as Role[] | undefined;
      const rule = operation?.[OPENAPI_PUBLIC] === true ? { public: true as const } : roles ? { public: false as const, roles } : null;
      return { ...route, rule };
    });
}

/** A concrete path for a route pattern: every parameter becomes `1` (valid for int and string params alike). */
export function concretePath(path: string): string {
  return path.replace(/[:*]\w+/g, '1');
}
