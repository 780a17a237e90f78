import { randomBytes, randomUUID } from 'node:crypto';
import { Client } from 'pg';
import type { ColumnProfile, DomainEvent, EnvelopedEvent } from '@mgov/contracts';
import { avroCodec } from '@mgov/contracts';
import type { CommandMetadata } from '@mgov/decider';
import { postgresDatabase, type PostgresDatabase } from '@mgov/event-store';
import { kafkaBus, type MessageBus, Topics } from '@mgov/messaging';
import { ServiceKernel } from '@mgov/service-runtime';
import { MonitoringService, type MonitoringOptions } from '../src/application/monitoring-service';

/** The monitoring service alone on a fresh database of the real PostgreSQL, on the real Kafka. */
export interface MonitoringHost {
  readonly service: MonitoringService;
  readonly kernel: ServiceKernel;
  readonly bus: MessageBus;
  readonly db: PostgresDatabase;
  /** The host's own database (another process may attach to it: `attachMonitoringHost`). */
  readonly databaseUrl: string;
  /** Stops the service (not the database): a restart is `start()` again on the same database (options changed, if given). */
  stop(): Promise<void>;
  start(changed?: Partial<MonitoringOptions>): Promise<MonitoringHost>;
  drop(): Promise<void>;
}

export async function monitoringHost(options: MonitoringOptions & { readonly databaseUrl: string; readonly brokers: string }): Promise<MonitoringHost> {
  const database = `monitoring_${randomBytes(4).toString('hex')}`;
  const admin = async (sql: string) => {
    const client = new Client({ connectionString: options.databaseUrl });
    await client.connect();
    await client.query(sql);
    await client.end();
  };
  await admin(`CREATE DATABASE ${database}`);
  const url = new URL(options.databaseUrl);
  url.pathname = `/${database}`;
  return hostOn(url.toString(), options, () => admin(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`));
}

/** The monitoring service on the database of a host started elsewhere (another process); `drop` only closes it. */
export function attachMonitoringHost(options: MonitoringOptions & { readonly databaseUrl: string; readonly brokers: string }): Promise<MonitoringHost> {
  return hostOn(options.databaseUrl, options, async () => undefined);
}

async function hostOn(databaseUrl: string, options: MonitoringOptions & { readonly brokers: string }, dropDatabase: () => Promise<void>): Promise<MonitoringHost> {
  const database = new URL(databaseUrl).pathname.slice(1);
  const db = await postgresDatabase(databaseUrl);
  const start = async (changed: Partial<MonitoringOptions> = {}): Promise<MonitoringHost> => {
    const bus = kafkaBus({ brokers: options.brokers, clientId: `monitoring-${database}` });
    const kernel = new ServiceKernel({ name: 'monitoring', db, bus, pollMs: 50 });
    const service = new MonitoringService(kernel.runtime, { ...options, ...changed });
    await kernel.start(service.module);
    const host: MonitoringHost = {
      service, kernel, bus, db, databaseUrl, start,
      async stop() {
        await kernel.stop();
        await bus.close();
      },
      async drop() {
        await db.close();
        await dropDatabase();
      },
    };
    return host;
  };
  return start();
}

let at = Date.UTC(2030, 0, 1);
export function enveloped(event: DomainEvent, streamId = 's'): EnvelopedEvent {
  return {
    ...event,
    envelope: {
      eventId: randomUUID(), eventType: event.type, streamId, streamVersion: 1, occurredAt: (at += 1000), actor: { id: 'test', role: 'admin' },
      correlationId: 'c', causationId: null, traceparent: null, tracestate: null, links: [],
    },
  } as EnvelopedEvent;
}

/** Publishes a training dataset version's profile and a registered model version trained on it, as lineage and registry do. */
export async function registerModelVersion(bus: MessageBus, input: {
  modelName: string; version: number; profile: ColumnProfile[]; metrics: Record<string, number>;
}): Promise<void> {
  const codec = avroCodec();
  const datasetVersionId = `sha256:${randomBytes(8).toString('hex')}`;
  await bus.ensureTopics([Topics.events('lineage'), Topics.events('registry')]);
  await bus.publish(Topics.events('lineage'), [{ key: datasetVersionId, value: codec.encodeEvent(enveloped({
    type: 'DatasetVersionRegistered',
    data: { datasetVersionId, datasetName: 'training', sourceIds: ['s'], parentVersionIds: [], transformation: null, rowCount: input.profile[0]?.count ?? 0, columns: input.profile },
  } as DomainEvent)) }]);
  await bus.publish(Topics.events('registry'), [{ key: input.modelName, value: codec.encodeEvent(enveloped({
    type: 'ModelVersionRegistered',
    data: {
      modelName: input.modelName, version: input.version, tag: `${input.modelName}:${input.version}`, digest: `sha256:${input.modelName}`, candidateId: randomUUID(), runId: 'r',
      datasetVersionIds: [datasetVersionId], submittedBy: 'sam', approvedBy: ['rita'], metrics: input.metrics, policyVersion: '',
    },
  } as DomainEvent)) }]);
}

/** Who a test or benchmark changes a policy as. */
export function engineer(id: string): CommandMetadata {
  return { actor: { id, role: 'ml-engineer' }, now: Date.now(), correlationId: `policy-${id}` };
}
