import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { logger } from '@mgov/telemetry';

const log = logger('http');

const STATUS_BY_CODE: Record<string, number> = {
  'EVENT_STORE.CONCURRENCY_CONFLICT': 409,
  'CONTRACTS.INVALID_EVENT': 400,
};

/** Errors raised by the JSON body parser before any controller runs (they carry `type`). */
const BODY_PARSER_ERRORS: Record<string, { code: string; message: string }> = {
  'entity.parse.failed': { code: 'HTTP.MALFORMED_JSON', message: 'the request body is not valid JSON' },
  'entity.too.large': { code: 'HTTP.PAYLOAD_TOO_LARGE', message: 'the request body is too large; split it into smaller requests' },
  'encoding.unsupported': { code: 'HTTP.UNSUPPORTED_ENCODING', message: 'send the body as UTF-8 JSON' },
};

/** Express error middleware: answers the body parser's own errors with stable codes. */
export function bodyParserErrors(error: { type?: string; status?: number }, _request: Request, response: Response, next: NextFunction): void {
  const known = error?.type ? BODY_PARSER_ERRORS[error.type] : undefined;
  if (!known) return next(error);
  // MLflow clients read MLflow's error body (its server answers unreadable JSON as a bad parameter).
  if (_request.path.startsWith('/api/2.0/mlflow')) {
    response.status(error.status === 413 ? 413 : 400).json({ error_code: 'INVALID_PARAMETER_VALUE', message: known.message, error: known });
    return;
  }
  response.status(error.status ?? 400).json({ error: known });
}

function httpErrorCode(status: number): string {
  if (status === 404) return 'HTTP.NOT_FOUND';
  if (status === 413) return 'HTTP.PAYLOAD_TOO_LARGE';
  return status >= 500 ? 'INTERNAL' : 'HTTP.BAD_REQUEST';
}

/** Every error leaves as `{error: {code, message}}` with a stable code and the right status. */
@Catch()
export class StableErrorFilter implements ExceptionFilter {
  catch(error: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    if (error instanceof HttpException) {
      const status = error.getStatus();
      const body = error.getResponse();
      const message = typeof body === 'string' ? body : ((body as { message?: unknown }).message ?? error.message);
      response.status(status).json({ error: { code: httpErrorCode(status), message: String(message) } });
      return;
    }
    const { code, status, message, type } = error as { code?: string; status?: number; message?: string; type?: string };
    const parserError = type ? BODY_PARSER_ERRORS[type] : undefined;
    if (parserError) {
      response.status(status ?? 400).json({ error: parserError });
      return;
    }
    if (typeof code === 'string' && code.includes('.')) {
      response.status(status ?? STATUS_BY_CODE[code] ?? 400).json({ error: { code, message } });
      return;
    }
    log.error({ err: error }, 'unhandled error');
    response.status(500).json({ error: { code: 'INTERNAL', message: 'internal error; see the service log' } });
  }
}
