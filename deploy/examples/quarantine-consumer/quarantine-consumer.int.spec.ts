import { spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { Client } from 'pg';
import { formatApiKey, hashApiKeySecret } from '@mgov/auth';
import { avroCodec, type DomainEvent, type EnvelopedEvent } from '@mgov/contracts';
import { type QuarantineNotice, subscribeToQuarantines } from './quarantine-consumer';

const brokers = (process.env.MGOV_KAFKA_BROKERS ?? '').split(',');
const root = join(__dirname, '../../..');
const envelope = (event: DomainEvent, streamId: string): EnvelopedEvent => ({
  ...event,
  envelope: {
    eventId: randomUUID(), eventType: event.type, streamId, streamVersion: 1, occurredAt: Date.now(), actor: { id: 'test', role: 'service' },
    correlationId: randomUUID(), causationId: null, traceparent: null, tracestate: null, links: [],
  },
} as EnvelopedEvent);

describe('the example downstream consumer of mgov.quarantine (real Kafka, retraining service process)', () => {
  const database = `mgov_qc_${randomBytes(4).toString('hex')}`;
  const modelName = `gateway-${randomBytes(3).toString('hex')}`;
  const kafka = new Kafka({ clientId: 'qc-test', brokers, logLevel: logLevel.NOTHING });
  const producer = kafka.producer();
  const notices: QuarantineNotice[] = [];
  const port = 20_000 + Math.floor(Math.random() * 20_000);
  let child: ReturnType<typeof spawn>;
  let stop: () => Promise<void>;
  const send = (context: string, event: EnvelopedEvent) => producer.send({ topic: `mgov.${context}.events`, messages: [{ key: modelName, value: avroCodec().encodeEvent(event) }] });
  const until = async (probe: () => boolean | Promise<boolean>, what: string) => {
    for (const deadline = Date.now() + 90_000; !(await probe());) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  };

  beforeAll(async () => {
    const admin = new Client({ connectionString: process.env.MGOV_DATABASE_URL });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${database}`);
    await admin.end();
    const url = new URL(process.env.MGOV_DATABASE_URL!);
    url.pathname = `/${database}`;
    child = spawn(process.execPath, ['-r', './tools/register.js', 'services/retraining/src/main.ts'], {
      cwd: root, stdio: 'ignore', env: { ...process.env, MGOV_DATABASE_URL: url.toString(), MGOV_KAFKA_BROKERS: brokers.join(','), MGOV_PORT: String(port), MGOV_LOG_LEVEL: 'warn' },
    });
    await until(() => fetch(`http://127.0.0.1:${port}/health`).then((r) => r.status === 200, () => false), 'the retraining service');
    await producer.connect();
    stop = await subscribeToQuarantines({ brokers, groupId: `qc-${database}`, fromBeginning: true }, (n) => void (n.modelName === modelName && notices.push(n)));
  }, 180_000);
  afterAll(async () => {
    await stop?.();
    await producer.disconnect();
    child?.kill('SIGTERM');
  }, 30_000);

  it('decodes the quarantine of a breaching model and its release by a reviewer', async () => {
    await send('registry', envelope({
      type: 'ModelVersionRegistered',
      data: { modelName, version: 1, tag: `${modelName}:1`, digest: 'sha256:feed', candidateId: 'c', runId: 'r', datasetVersionIds: [], submittedBy: 'sam', approvedBy: ['rita'], metrics: {}, policyVersion: '1' },
    }, `model:${modelName}`));
    await send('monitoring', envelope({
      type: 'PerformanceDecayDetected',
      data: { alertId: 'a1', modelName, modelVersion: 1, digest: 'sha256:feed', severity: 'breach', metric: 'f1', value: 0.5, baseline: 0.8, relativeDrop: 0.375, threshold: 0.2, labelledCount: 500, windowIndex: 1, windowStart: 0, windowEnd: 1 },
    }, `monitor:${modelName}:1`));
    await until(() => notices.length === 1, 'ModelQuarantined');
    expect(notices[0]).toMatchObject({ type: 'ModelQuarantined', modelName, modelVersion: 1, digest: 'sha256:feed', alertIds: ['a1'], reason: expect.stringContaining('performance-decay breach') });

    const keyId = `k${randomBytes(5).toString('hex')}`;
    const secret = randomBytes(32).toString('base64url');
    await send('audit', envelope({ type: 'ApiKeyIssued', data: { keyId, name: 'rita', roles: ['model-reviewer'], secretHash: hashApiKeySecret(secret), hashAlgorithm: 'sha256', expiresAt: null } }, `api-key:${keyId}`));
    const release = () => fetch(`http://127.0.0.1:${port}/retraining/cases/${encodeURIComponent(`${modelName}:1:performance-decay#1`)}/release`, {
      method: 'POST', headers: { authorization: `Bearer ${formatApiKey({ keyId, secret })}`, 'content-type': 'application/json' },
      body: JSON.stringify({ justification: 'labels were delayed, f1 recovered' }),
    });
    await until(async () => (await release()).status === 200, 'the release');
    await until(() => notices.length === 2, 'ModelQuarantineReleased');
    expect(notices[1]).toMatchObject({ type: 'ModelQuarantineReleased', modelName, releasedBy: 'rita', justification: 'labels were delayed, f1 recovered' });
  }, 120_000);
});
