import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { embeddedDatabase } from '@mgov/event-store';
import { hostServices, type JwtSettings, jwtSettingsFromEnv, type RunningHost, type ServiceDefinition } from '@mgov/http-edge';
import { embeddedBus } from '@mgov/messaging';
import { allServices } from './all-services';

export interface EmbeddedPlatformOptions {
  /** Where the embedded database and the object store live (MGOV_DATA_DIR, default ./.mgov). */
  readonly dataDir?: string;
  readonly port?: number;
  readonly monitoringWindowSize?: number;
  readonly services?: readonly ServiceDefinition[];
  /** The bootstrap admin's API key (MGOV_BOOTSTRAP_TOKEN); absent: one is generated and shown once at first start. */
  readonly bootstrapToken?: string;
  /** JWT verification (MGOV_JWT_*); null: API keys only. */
  readonly jwt?: JwtSettings | null;
  /** Where one-time notices such as a generated bootstrap token go (default: stderr). */
  readonly notice?: (text: string) => void;
}

/** The embedded runtime: all six services in one process on PGlite and the in-process bus. */
export async function startEmbeddedPlatform(options: EmbeddedPlatformOptions = {}): Promise<RunningHost> {
  const dataDir = resolve(options.dataDir ?? process.env.MGOV_DATA_DIR ?? '.mgov');
  const jwt = options.jwt === undefined ? jwtSettingsFromEnv() : options.jwt;
  mkdirSync(dataDir, { recursive: true });
  const db = await embeddedDatabase(join(dataDir, 'pgdata'));
  const bus = embeddedBus(db, { schema: 'mgov_bus' });
  return hostServices({
    title: 'MGov',
    definitions: options.services ?? allServices,
    db,
    bus,
    port: options.port ?? Number(process.env.MGOV_PORT ?? 8080),
    jwt,
    settings: {
      objectStoreDir: join(dataDir, 'objects'),
      monitoringWindowSize: options.monitoringWindowSize ?? Number(process.env.MGOV_MONITORING_WINDOW ?? 50),
      bootstrapToken: options.bootstrapToken ?? (process.env.MGOV_BOOTSTRAP_TOKEN || null),
      notice: options.notice,
    },
  });
}
