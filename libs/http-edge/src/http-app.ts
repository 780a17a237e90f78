import 'reflect-metadata';
import { type DynamicModule, type INestApplication, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { json } from 'express';
import { bodyParserErrors, StableErrorFilter } from './error-filter';
import { HealthController, READINESS, type Readiness } from './health.controller';
import { httpMetrics } from './metrics';
import { traceRequests } from './trace-middleware';

export interface HttpAppOptions {
  readonly title: string;
  readonly modules: readonly DynamicModule[];
  readonly readiness: Readiness;
  readonly bodyLimit?: string;
}

/** One NestJS app over the given service modules, with health, OpenAPI, errors and tracing. */
export async function createHttpApp(options: HttpAppOptions): Promise<INestApplication> {
  @Module({
    imports: [...options.modules],
    controllers: [HealthController],
    providers: [{ provide: READINESS, useValue: options.readiness }],
  })
  class PlatformHttpModule {}

  const app = await NestFactory.create(PlatformHttpModule, { logger: ['error', 'warn'], bodyParser: false });
  const metrics = httpMetrics();
  app.use(metrics.middleware);
  app.use(json({ limit: options.bodyLimit ?? process.env.MGOV_HTTP_BODY_LIMIT ?? '16mb' }));
  app.use(bodyParserErrors);
  app.use(traceRequests(options.title));
  app.useGlobalFilters(new StableErrorFilter());
  app.enableShutdownHooks();
  const document = SwaggerModule.createDocument(app, new DocumentBuilder().setTitle(options.title).setVersion('0.1.0').build());
  app.getHttpAdapter().get('/openapi.json', (_req: unknown, res: { json(body: unknown): void }) => res.json(document));
  app.getHttpAdapter().get('/metrics', metrics.handler);
  return app;
}
