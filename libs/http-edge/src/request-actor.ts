import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import type { CommandMetadata } from '@mgov/decider';
import { randomUUID } from 'node:crypto';

/**
 * The command metadata of a request: who (until the access-control issue, the
 * `x-mgov-actor` / `x-mgov-role` headers), when, and the correlation id the caller sent.
 */
export const Metadata = createParamDecorator((_: unknown, ctx: ExecutionContext): CommandMetadata => {
  const request = ctx.switchToHttp().getRequest<Request>();
  const header = (name: string) => {
    const value = request.headers[name];
    return Array.isArray(value) ? value[0] : value;
  };
  return {
    actor: { id: header('x-mgov-actor') ?? 'anonymous', role: header('x-mgov-role') ?? 'anonymous' },
    now: Date.now(),
    correlationId: header('x-correlation-id') ?? randomUUID(),
    causationId: null,
  };
});
