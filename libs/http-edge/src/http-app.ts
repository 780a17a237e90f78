import 'reflect-metadata';
import { type DynamicModule, type INestApplication, Module } from '@nestjs/common';
import { NestFactory, Reflector } from '@nestjs/core';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { json } from 'express';
import { AccessGuard } from './access.guard';
import type { Authenticator } from './authenticator';
import { bodyParserErrors, StableErrorFilter } from './error-filter';
import { HealthController, READINESS, type Readiness } from './health.controller';
import { httpMetrics } from './metrics';
import { traceRequests } from './trace-middleware';
import { WhoAmIController } from './whoami.controller';

export interface HttpAppOptions {
  readonly title: string;
  readonly modules: readonly DynamicModule[];
  readonly readiness: Readiness;
  readonly authenticator: Authenticator;
  readonly bodyLimit?: string;
}

/**
 * One NestJS app over the given service modules, with access control, health, OpenAPI, errors and
 * tracing. `/openapi.json` and `/metrics` bypass the guard on purpose: the API's shape is no secret,
 * and metrics carry route patterns and counts only, for scrapers that hold no MGov credential.
 */
export async function createHttpApp(options: HttpAppOptions): Promise<INestApplication> {
  @Module({
    imports: [...options.modules],
    controllers: [HealthController, WhoAmIController],
    providers: [{ provide: READINESS, useValue: options.readiness }],
  })
  class PlatformHttpModule {}

  const app = await NestFactory.create(PlatformHttpModule, { logger: ['error', 'warn'], bodyParser: false });
  const metrics = httpMetrics();
  app.use(metrics.middleware);
  // JSON bodies only: a dataset upload (text/csv, application/octet-stream, …) reaches its controller
  // unread, as the raw stream it is, whatever its size.
  // MLflow's artifact proxy takes files of any type (a `.json` artifact too) as raw bytes.
  const jsonBody = (request: { url?: string; headers: Record<string, unknown> }) =>
    !request.url?.startsWith('/api/2.0/mlflow-artifacts/') && /^application\/json\b/i.test(String(request.headers['content-type'] ?? ''));
  app.use(json({ type: jsonBody, limit: options.bodyLimit ?? process.env.MGOV_HTTP_BODY_LIMIT ?? '16mb' }));
  app.use(bodyParserErrors);
  app.use(traceRequests(options.title));
  app.useGlobalFilters(new StableErrorFilter());
  app.useGlobalGuards(new AccessGuard(app.get(Reflector), options.authenticator, () => options.readiness.ready()));
  app.enableShutdownHooks();
  const document = SwaggerModule.createDocument(app, new DocumentBuilder().setTitle(options.title).setVersion('0.1.0').addBearerAuth().build());
  app.getHttpAdapter().get('/openapi.json', (_req: unknown, res: { json(body: unknown): void }) => res.json(document));
  app.getHttpAdapter().get('/metrics', metrics.handler);
  return app;
}
