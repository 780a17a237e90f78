import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel, type Producer } from 'kafkajs';
import { Client } from 'pg';
import { formatApiKey, hashApiKeySecret } from '@mgov/auth';
import { avroCodec, type DomainEvent, type EnvelopedEvent } from '@mgov/contracts';
import { Topics } from '@mgov/messaging';
import { type ServiceProcess, startRetrainingProcess, stopRetrainingProcess, tail } from './service-process';

const codec = avroCodec();
const brokers = (process.env.MGOV_KAFKA_BROKERS ?? '').split(',');

/** An event as another service would have written it. */
export function enveloped(event: DomainEvent, streamId = `test:${randomUUID()}`, actor = { id: 'monitoring', role: 'service' }): EnvelopedEvent {
  return {
    ...event,
    envelope: {
      eventId: randomUUID(), eventType: event.type, streamId, streamVersion: 1, occurredAt: Date.now(), actor,
      correlationId: randomUUID(), causationId: null, traceparent: null, tracestate: null, links: [],
    },
  } as EnvelopedEvent;
}

export interface Caller {
  readonly name: string;
  readonly token: string;
}

/**
 * The retraining service as its own OS process on a fresh database, with a Kafka producer standing
 * in for the other services (their events, Avro-encoded, on their topics) and API keys issued the
 * way audit issues them.
 */
export class RetrainingProcess {
  service!: ServiceProcess;
  readonly kafka = new Kafka({ clientId: 'retraining-test', brokers, logLevel: logLevel.NOTHING });
  private producer!: Producer;
  private pg!: Client;
  private env!: Record<string, string>;
  private logDir = mkdtempSync(join(tmpdir(), 'mgov-retraining-'));
  readonly database = `mgov_rt_${randomBytes(4).toString('hex')}`;

  async start(extraEnv: Record<string, string> = {}): Promise<void> {
    const admin = new Client({ connectionString: process.env.MGOV_DATABASE_URL });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${this.database}`);
    await admin.end();
    const url = new URL(process.env.MGOV_DATABASE_URL!);
    url.pathname = `/${this.database}`;
    this.pg = new Client({ connectionString: url.toString() });
    await this.pg.connect();
    this.env = {
      MGOV_DATABASE_URL: url.toString(), MGOV_KAFKA_BROKERS: brokers.join(','), MGOV_OBJECT_STORE_DIR: join(this.logDir, 'objects'),
      MGOV_LOG_LEVEL: 'warn', MGOV_RETRAINING_POLL_MS: '100',
      // A killed process's partitions move on after 6 s instead of 30 s (the broker's minimum).
      MGOV_KAFKA_SESSION_TIMEOUT_MS: '6000', ...extraEnv,
    };
    this.producer = this.kafka.producer({ allowAutoTopicCreation: false });
    await this.producer.connect();
    const admin2 = this.kafka.admin();
    await admin2.connect();
    await admin2.createTopics({ waitForLeaders: true, topics: ['lineage', 'registry', 'monitoring', 'experiment', 'audit'].map((c) => ({ topic: Topics.events(c as 'lineage') })) }).catch(() => undefined);
    await admin2.disconnect();
    await this.launch();
  }

  async launch(): Promise<void> {
    this.service = await startRetrainingProcess(this.env, join(this.logDir, 'retraining.log'));
  }

  /** SIGKILL: no shutdown hook runs, whatever was mid-transaction is lost. */
  async kill(): Promise<void> {
    const exited = new Promise((resolve) => this.service.child.once('exit', resolve));
    this.service.child.kill('SIGKILL');
    await exited;
  }

  async stop(): Promise<void> {
    await this.producer?.disconnect().catch(() => undefined);
    if (this.service) await stopRetrainingProcess(this.service);
    await this.pg?.end().catch(() => undefined);
  }

  log(): string {
    return tail(this.service.logFile, 60);
  }

  async publish(context: 'lineage' | 'registry' | 'monitoring' | 'experiment' | 'audit', ...events: EnvelopedEvent[]): Promise<void> {
    await this.producer.send({ topic: Topics.events(context), messages: events.map((e) => ({ key: e.envelope.streamId, value: codec.encodeEvent(e) })) });
  }

  async issueKey(name: string, roles: string[]): Promise<Caller> {
    const keyId = `k${randomBytes(5).toString('hex')}`;
    const secret = randomBytes(32).toString('base64url');
    await this.publish('audit', enveloped({ type: 'ApiKeyIssued', data: { keyId, name, roles, secretHash: hashApiKeySecret(secret), hashAlgorithm: 'sha256', expiresAt: null } }, `api-key:${keyId}`));
    const caller = { name, token: formatApiKey({ keyId, secret }) };
    await this.eventually(`key ${name} known`, async () => (await fetch(`${this.service.url}/access/whoami`, { headers: { authorization: `Bearer ${caller.token}` } })).status === 200);
    return caller;
  }

  /** `code` is the error's stable code (`{"error": {"code", "message"}}`), if any. */
  async call<T>(method: string, path: string, caller: Caller, body?: unknown): Promise<{ status: number; body: T; code?: string }> {
    const response = await fetch(`${this.service.url}${path}`, {
      method, headers: { authorization: `Bearer ${caller.token}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body),
    });
    const json = (await response.json().catch(() => null)) as (T & { error?: { code?: string } }) | null;
    return { status: response.status, body: json as T, code: json?.error?.code };
  }

  /** Events in the retraining service's own log, by type. */
  async logged(type?: string): Promise<Array<{ type: string; stream_id: string; event_id: string }>> {
    const { rows } = await this.pg.query(`SELECT type, stream_id, event_id FROM mgov_retraining.events ${type ? 'WHERE type = $1' : ''} ORDER BY position`, type ? [type] : []);
    return rows as Array<{ type: string; stream_id: string; event_id: string }>;
  }

  async eventually<T>(what: string, probe: () => Promise<T | undefined | false>, timeoutMs = 60_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = await probe().catch(() => undefined);
      if (value) return value;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}\n${this.log()}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

let counter = 0;
/** A registered model version trained on dataset `trainedOn`, submitted by `submittedBy`. */
export function modelRegistered(modelName: string, trainedOn: string, submittedBy = 'sam'): EnvelopedEvent {
  return enveloped({
    type: 'ModelVersionRegistered',
    data: { modelName, version: 1, tag: `${modelName}:1`, digest: `sha256:${modelName}`, candidateId: `c-${modelName}`, runId: `r-${modelName}`, datasetVersionIds: [trainedOn], submittedBy, approvedBy: ['rita'], metrics: {}, policyVersion: '1' },
  }, `model:${modelName}`, { id: 'registry', role: 'service' });
}

export function datasetVersion(datasetName: string, id: string, eligible: boolean): EnvelopedEvent[] {
  return [
    enveloped({ type: 'DatasetVersionRegistered', data: { datasetVersionId: id, datasetName, sourceIds: ['crm'], parentVersionIds: [], transformation: null, rowCount: 1, columns: [] } }, `dataset-version:${id}`),
    ...(eligible ? [enveloped({ type: 'DatasetVersionClearedForTraining', data: { datasetVersionId: id, gate: 'privacy-gate+bias-scan', policyVersion: 'privacy:1+bias:1' } }, `dataset-version:${id}`)] : []),
  ];
}

export function driftAlert(modelName: string, severity: 'warn' | 'breach', alertId = `alert-${++counter}-${randomBytes(3).toString('hex')}`): EnvelopedEvent {
  return enveloped({
    type: 'DataDriftDetected',
    data: { alertId, modelName, modelVersion: 1, digest: `sha256:${modelName}`, severity, feature: 'income', metric: 'psi', value: severity === 'breach' ? 0.4 : 0.15, threshold: severity === 'breach' ? 0.25 : 0.1, windowIndex: counter, windowStart: Date.now() - 60_000, windowEnd: Date.now() },
  }, `monitor:${modelName}:1`);
}
