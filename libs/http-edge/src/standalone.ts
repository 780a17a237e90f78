import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { postgresDatabase } from '@mgov/event-store';
import { kafkaBus, kafkaSecurityFromEnv } from '@mgov/messaging';
import { initTelemetry, logger } from '@mgov/telemetry';
import { datasetSettingsFromEnv } from './dataset-settings';
import { jwtSettingsFromEnv } from './jwt-settings';
import { hostServices } from './service-host';
import type { ServiceDefinition } from './service-definition';

function required(name: string): string {
  const value = process.env[name];
  if (!value) {
    throw new Error(`${name} is not set: a standalone service needs PostgreSQL (MGOV_DATABASE_URL) and Kafka (MGOV_KAFKA_BROKERS); for a single process without them run \`npm start\``);
  }
  return value;
}

/** The distributed runtime's composition root: one service, PostgreSQL and Kafka from the environment. */
export async function runStandalone(definition: ServiceDefinition, options: { defaultPort: number }) {
  const log = logger(definition.name);
  try {
    initTelemetry({ serviceName: `mgov-${definition.name}` });
    const db = await postgresDatabase(required('MGOV_DATABASE_URL'));
    const sessionTimeoutMs = process.env.MGOV_KAFKA_SESSION_TIMEOUT_MS ? Number(process.env.MGOV_KAFKA_SESSION_TIMEOUT_MS) : undefined;
    if (sessionTimeoutMs !== undefined && !(Number.isInteger(sessionTimeoutMs) && sessionTimeoutMs >= 6000)) {
      throw new Error('MGOV_KAFKA_SESSION_TIMEOUT_MS must be an integer of at least 6000 (the broker\'s group.min.session.timeout.ms)');
    }
    const bus = kafkaBus({ brokers: required('MGOV_KAFKA_BROKERS').split(','), clientId: `mgov-${definition.name}`, security: kafkaSecurityFromEnv(), sessionTimeoutMs });
    const host = await hostServices({
      title: `MGov ${definition.name}`,
      definitions: [definition],
      db,
      bus,
      port: Number(process.env.MGOV_PORT ?? options.defaultPort),
      jwt: jwtSettingsFromEnv(),
      settings: {
        objectStoreDir: process.env.MGOV_OBJECT_STORE_DIR ?? join(tmpdir(), 'mgov-objects'),
        monitoringWindowSize: Number(process.env.MGOV_MONITORING_WINDOW ?? 50),
        bootstrapToken: process.env.MGOV_BOOTSTRAP_TOKEN || null,
        ...datasetSettingsFromEnv(),
      },
    });
    const shutdown = () => void host.stop().finally(() => process.exit(0));
    process.once('SIGTERM', shutdown);
    process.once('SIGINT', shutdown);
  } catch (error) {
    log.fatal({ err: error }, 'could not start');
    process.exit(1);
  }
}
