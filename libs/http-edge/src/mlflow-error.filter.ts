import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException } from '@nestjs/common';
import type { Response } from 'express';
import { logger } from '@mgov/telemetry';

const log = logger('mlflow-api');

/**
 * MLflow's error code for an MGov refusal, and the status MLflow's server answers it with (tracking
 * and registry alike: an MLflow client reads `error_code`, MGov's own clients `error.code`).
 */
export function mlflowError(code: string | undefined, status: number | undefined): { error_code: string; status: number } {
  if (code === 'AUTH.FORBIDDEN') return { error_code: 'PERMISSION_DENIED', status: 403 };
  if (code?.startsWith('AUTH.') || status === 401) return { error_code: 'UNAUTHENTICATED', status: 401 };
  if (code === 'HTTP.STARTING') return { error_code: 'TEMPORARILY_UNAVAILABLE', status: 503 };
  if (code?.endsWith('_EXISTS')) return { error_code: 'RESOURCE_ALREADY_EXISTS', status: 400 };
  if (code === 'EVENT_STORE.CONCURRENCY_CONFLICT') return { error_code: 'RESOURCE_CONFLICT', status: 409 };
  if (status === 404 || code?.endsWith('NOT_FOUND')) return { error_code: 'RESOURCE_DOES_NOT_EXIST', status: 404 };
  if (status === 403) return { error_code: 'PERMISSION_DENIED', status: 403 };
  if (status !== undefined && status >= 500) return { error_code: 'INTERNAL_ERROR', status: 500 };
  return { error_code: 'INVALID_PARAMETER_VALUE', status: 400 };
}

/** Errors on MLflow's routes (tracking, artifacts, registry) leave as MLflow's `{error_code, message}`, with MGov's `{error: {code, message}}` beside them. */
@Catch()
export class MlflowErrorFilter implements ExceptionFilter {
  catch(error: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    if (error instanceof HttpException) {
      const { error_code, status } = mlflowError(undefined, error.getStatus());
      response.status(status).json({ error_code, message: error.message, error: { code: status === 404 ? 'HTTP.NOT_FOUND' : 'HTTP.BAD_REQUEST', message: error.message } });
      return;
    }
    const { code, status, message } = error as { code?: string; status?: number; message?: string };
    if (typeof code !== 'string' || !code.includes('.')) {
      log.error({ err: error }, 'unhandled error');
      response.status(500).json({ error_code: 'INTERNAL_ERROR', message: 'internal error; see the service log' });
      return;
    }
    const mapped = mlflowError(code, status);
    response.status(mapped.status).json({ error_code: mapped.error_code, message, error: { code, message } });
  }
}
