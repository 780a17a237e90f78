import { mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { embeddedDatabase } from '@mgov/event-store';
import {
  datasetSettingsFromEnv, hostServices, type JwtSettings, jwtSettingsFromEnv, type PlatformSettings, type RunningHost, type ServiceDefinition,
} from '@mgov/http-edge';
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
  /** The privacy gate's key (default: MGOV_PSEUDONYMIZATION_KEY[_FILE], else a key file in the user's config directory). */
  readonly pseudonymizationKey?: PlatformSettings['pseudonymizationKey'];
  readonly datasetMaxBytes?: number;
}

/**
 * Without a configured key the embedded runtime uses one of its own, generated on first use into the
 * user's config directory: outside the data directory, so a copy of the data does not carry the key.
 */
function embeddedKeySettings(fromEnv: PlatformSettings['pseudonymizationKey']): PlatformSettings['pseudonymizationKey'] {
  if (fromEnv?.value || fromEnv?.file) return fromEnv;
  const configDir = process.env.XDG_CONFIG_HOME || join(homedir(), '.config');
  return { file: join(configDir, 'mgov', 'pseudonymization.key'), generateIfMissing: true };
}

/** The embedded runtime: all six services in one process on PGlite and the in-process bus. */
export async function startEmbeddedPlatform(options: EmbeddedPlatformOptions = {}): Promise<RunningHost> {
  const dataDir = resolve(options.dataDir ?? process.env.MGOV_DATA_DIR ?? '.mgov');
  const jwt = options.jwt === undefined ? jwtSettingsFromEnv() : options.jwt;
  const fromEnv = datasetSettingsFromEnv();
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
      datasetMaxBytes: options.datasetMaxBytes ?? fromEnv.datasetMaxBytes,
      pseudonymizationKey: options.pseudonymizationKey ?? embeddedKeySettings(fromEnv.pseudonymizationKey),
    },
  });
}
