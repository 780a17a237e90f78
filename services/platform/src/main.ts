import { initTelemetry, logger } from '@mgov/telemetry';
import { startEmbeddedPlatform } from './embedded-platform';

const log = logger('platform');

async function main() {
  initTelemetry({ serviceName: 'mgov' });
  const host = await startEmbeddedPlatform();
  log.info({ url: host.url }, `MGov is running at ${host.url} (GET /health, OpenAPI at /openapi.json)`);
  let stopping = false;
  const shutdown = async () => {
    if (stopping) return;
    stopping = true;
    await host.stop();
    process.exit(0);
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}

main().catch((error) => {
  log.fatal({ err: error }, 'MGov could not start');
  process.exit(1);
});
