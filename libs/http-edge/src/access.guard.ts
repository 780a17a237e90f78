import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request, Response } from 'express';
import { actingRole, type Role } from '@mgov/auth';
import { logger } from '@mgov/telemetry';
import { PUBLIC_ROUTE, REQUIRED_ROLES } from './access-decorators';
import { AccessCode, AccessError } from './access-error';
import type { Authenticator } from './authenticator';
import { admit } from './principal';

const log = logger('access');

/**
 * Every route is closed unless it says otherwise: `@Public()` admits anyone, `@Requires(...)`
 * admits a verified principal holding one of the roles (admin always). A route with neither is a
 * programming error and nobody gets in.
 */
@Injectable()
export class AccessGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly authenticator: Authenticator,
    private readonly ready: () => boolean,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, targets)) return true;
    const request = context.switchToHttp().getRequest<Request>();
    const route = `${request.method} ${(request.route?.path as string | undefined) ?? request.path}`;
    const required = this.reflector.getAllAndOverride<Role[] | undefined>(REQUIRED_ROLES, targets);
    if (!required) {
      log.warn({ route }, 'route declares neither @Requires nor @Public: denied to everyone');
      throw new AccessError(AccessCode.undeclaredRoute, `${route} declares no access rule, so it is closed to everyone; please report this MGov bug`, 403);
    }
    if (!this.ready()) throw new AccessError(AccessCode.starting, 'MGov is starting; retry once GET /health answers 200', 503);
    try {
      const principal = await this.authenticator.authenticate(request.header('authorization'));
      const role = actingRole(required, principal.roles);
      if (!role) {
        const held = principal.roles.length > 0 ? `has ${principal.roles.join(', ')}` : 'has no MGov role';
        throw new AccessError(AccessCode.forbidden, `${route} needs one of the roles ${[...new Set([...required, 'admin'])].join(', ')}; ${principal.id} ${held}`, 403);
      }
      admit(request, { principal, role });
      return true;
    } catch (error) {
      if (error instanceof AccessError && error.status === 401) {
        const challenge = error.code === AccessCode.unauthenticated ? 'Bearer realm="mgov"' : 'Bearer realm="mgov", error="invalid_token"';
        context.switchToHttp().getResponse<Response>().setHeader('WWW-Authenticate', challenge);
      }
      throw error;
    }
  }
}
