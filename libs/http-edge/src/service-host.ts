import type { DynamicModule, INestApplication } from '@nestjs/common';
import type { Database } from '@mgov/event-store';
import type { MessageBus } from '@mgov/messaging';
import { ServiceKernel } from '@mgov/service-runtime';
import { logger } from '@mgov/telemetry';
import { projectedApiKeys } from './api-key-directory';
import { Authenticator } from './authenticator';
import { BusTransport } from './bus-transport';
import { createHttpApp } from './http-app';
import type { JwtSettings } from './jwt-settings';
import { jwtVerifier } from './jwt-verifier';
import type { PlatformSettings, ServiceDefinition } from './service-definition';

const log = logger('host');

export interface HostOptions {
  readonly title: string;
  readonly definitions: readonly ServiceDefinition[];
  readonly db: Database;
  readonly bus: MessageBus;
  readonly settings: PlatformSettings;
  readonly port: number;
  readonly host?: string;
  /** How people's JWTs are verified; null or absent: only API keys are accepted. */
  readonly jwt?: JwtSettings | null;
}

/** A running process: one or more services behind one HTTP port. */
export interface RunningHost {
  readonly app: INestApplication;
  readonly kernels: readonly ServiceKernel[];
  readonly bus: MessageBus;
  readonly url: string;
  stop(): Promise<void>;
}

/**
 * Starts services in one process: HTTP listens first (health says 503 until every kernel has
 * started), so a supervisor can watch the port from the very start.
 */
export async function hostServices(options: HostOptions): Promise<RunningHost> {
  // Reactors consume through a NestJS microservice transport over the bus port.
  const transport = new BusTransport(options.bus);
  const kernels = options.definitions.map((d) => new ServiceKernel({
    name: d.name, db: options.db, bus: options.bus, subscribe: (subscription) => transport.register(subscription),
  }));
  const created = options.definitions.map((d, i) => d.create(kernels[i].runtime, options.settings));
  let ready = false;
  // The key owner's write model if this process hosts it (instant revocation), else this service's projection.
  const apiKeys = created.find((c) => c.apiKeys)?.apiKeys ?? projectedApiKeys(options.db, kernels[0].runtime.schema);
  const authenticator = new Authenticator({ apiKeys, jwt: options.jwt ? jwtVerifier(options.jwt) : null });
  const app = await createHttpApp({
    title: options.title,
    modules: created.flatMap((c): DynamicModule[] => (Array.isArray(c.http) ? [...c.http] : [c.http as DynamicModule])),
    readiness: { ready: () => ready, services: () => options.definitions.map((d) => d.name) },
    authenticator,
  });
  await app.listen(options.port, options.host ?? '0.0.0.0');
  const url = (await app.getUrl()).replace('[::1]', 'localhost').replace('0.0.0.0', '127.0.0.1');
  for (const [i, kernel] of kernels.entries()) await kernel.start(created[i].module);
  app.connectMicroservice({ strategy: transport }, { inheritAppConfig: true });
  await app.startAllMicroservices();
  ready = true;
  log.info({ url, services: options.definitions.map((d) => d.name) }, 'ready');
  return {
    app,
    kernels,
    bus: options.bus,
    url,
    async stop() {
      await app.close();
      for (const kernel of kernels) await kernel.stop();
      await options.bus.close();
      await options.db.close();
    },
  };
}
