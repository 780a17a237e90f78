import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import type { CommandMetadata } from '@mgov/decider';
import { randomUUID } from 'node:crypto';
import { accessOf } from './principal';

/**
 * The command metadata of a request: who (the verified principal, in the role that satisfied the
 * route's `@Requires`), when, and the correlation id the caller sent.
 */
export const Metadata = createParamDecorator((_: unknown, ctx: ExecutionContext): CommandMetadata => {
  const request = ctx.switchToHttp().getRequest<Request>();
  const access = accessOf(request);
  if (!access) throw new Error(`@Metadata() on ${request.method} ${request.path}, which admitted no principal: declare @Requires(...) on the route`);
  const correlation = request.headers['x-correlation-id'];
  return {
    actor: { id: access.principal.id, role: access.role },
    now: Date.now(),
    correlationId: (Array.isArray(correlation) ? correlation[0] : correlation) ?? randomUUID(),
    causationId: null,
  };
});
