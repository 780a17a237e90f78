import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException } from '@nestjs/common';
import type { Response } from 'express';
import { logger } from '@mgov/telemetry';

const log = logger('http');

const STATUS_BY_CODE: Record<string, number> = {
  'EVENT_STORE.CONCURRENCY_CONFLICT': 409,
  'CONTRACTS.INVALID_EVENT': 400,
};

/** Every error leaves as `{error: {code, message}}` with a stable code and the right status. */
@Catch()
export class StableErrorFilter implements ExceptionFilter {
  catch(error: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    if (error instanceof HttpException) {
      const status = error.getStatus();
      const body = error.getResponse();
      const message = typeof body === 'string' ? body : ((body as { message?: unknown }).message ?? error.message);
      response.status(status).json({ error: { code: status === 404 ? 'HTTP.NOT_FOUND' : 'HTTP.BAD_REQUEST', message: String(message) } });
      return;
    }
    const { code, status, message } = error as { code?: string; status?: number; message?: string };
    if (typeof code === 'string' && code.includes('.')) {
      response.status(status ?? STATUS_BY_CODE[code] ?? 400).json({ error: { code, message } });
      return;
    }
    log.error({ err: error }, 'unhandled error');
    response.status(500).json({ error: { code: 'INTERNAL', message: 'internal error; see the service log' } });
  }
}
