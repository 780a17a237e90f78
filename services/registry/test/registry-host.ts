import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { SignJWT } from 'jose';
import { Client } from 'pg';
import { avroCodec, type DomainEvent, type EnvelopedEvent } from '@mgov/contracts';
import { postgresDatabase } from '@mgov/event-store';
import { hostServices, type RunningHost } from '@mgov/http-edge';
import { embeddedBus, Topics } from '@mgov/messaging';
import { FilesystemObjectStore } from '@mgov/object-store';
import { waitFor } from '@mgov/testing';
import type { ModelDeployer } from '../src/deployment/deployers';
import { registryDefinitionWith } from '../src/registry.definition';

export const databaseUrl = process.env.MGOV_DATABASE_URL;
const JWT_SECRET = randomBytes(32).toString('hex');

export interface CallResult {
  readonly status: number;
  readonly body: Record<string, unknown> & { error?: { code: string; message: string } };
  readonly buffer: Buffer;
}

export interface RunArtifact { path: string; sha256: string; size: number }

/**
 * The registry alone on a fresh PostgreSQL database (embedded bus), with a GitOps directory, an object
 * store it shares with the test, and people who present HS256 JWTs. Other services' facts (runs, dataset
 * eligibility, quarantines) are published on the bus by the test, as experiment, lineage and retraining would.
 */
export function registryHost(options: { deployer?: () => ModelDeployer } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'mgov-registry-it-'));
  const database = `registry_it_${randomBytes(4).toString('hex')}`;
  const state = { host: undefined as unknown as RunningHost };
  const codec = avroCodec();
  const objects = new FilesystemObjectStore(join(dir, 'objects'));
  const admin = async (sql: string) => {
    const client = new Client({ connectionString: databaseUrl });
    await client.connect();
    await client.query(sql);
    await client.end();
  };

  beforeAll(async () => {
    await admin(`CREATE DATABASE ${database}`);
    const url = new URL(databaseUrl!);
    url.pathname = `/${database}`;
    const db = await postgresDatabase(url.toString());
    state.host = await hostServices({
      title: 'registry-it', definitions: [registryDefinitionWith({ gitopsDir: join(dir, 'gitops'), deployer: options.deployer?.() })], db,
      bus: embeddedBus(db, { schema: 'mgov_bus' }), port: 0, host: '127.0.0.1', jwt: { secret: JWT_SECRET },
      settings: { objectStoreDir: join(dir, 'objects'), monitoringWindowSize: 50 },
    });
    await state.host.bus.ensureTopics(['experiment', 'lineage', 'retraining'].map((c) => Topics.events(c as 'lineage')));
  }, 60_000);

  afterAll(async () => {
    await state.host?.stop();
    await admin(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    rmSync(dir, { recursive: true, force: true });
  });

  const token = (id: string, role: string) => new SignJWT({ roles: [role] }).setProtectedHeader({ alg: 'HS256' }).setSubject(id).setExpirationTime('1h').sign(Buffer.from(JWT_SECRET));

  /** Calls the registry as `id` in `role` (null: no credentials). */
  async function call(method: string, path: string, who: [string, string] | null, body?: unknown): Promise<CallResult> {
    const headers: Record<string, string> = who ? { authorization: `Bearer ${await token(...who)}` } : {};
    if (body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(`${state.host.url}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const buffer = Buffer.from(await response.arrayBuffer());
    let parsed: unknown;
    try {
      parsed = JSON.parse(buffer.toString('utf8'));
    } catch {
      parsed = {};
    }
    return { status: response.status, body: parsed as CallResult['body'], buffer };
  }

  let position = 0;
  /** Publishes another service's fact on its topic, enveloped as that service would. */
  async function publish(event: DomainEvent, streamId: string, context: 'experiment' | 'lineage' | 'retraining') {
    position += 1;
    const enveloped = {
      ...event,
      envelope: {
        eventId: randomUUID(), eventType: event.type, streamId, streamVersion: position, occurredAt: Date.now(), actor: { id: 'someone', role: 'system' },
        correlationId: randomUUID(), causationId: null, traceparent: null, tracestate: null, links: [streamId],
      },
    } as EnvelopedEvent;
    await state.host.bus.publish(Topics.events(context), [{ key: streamId, value: codec.encodeEvent(enveloped) }]);
  }

  const host = {
    get url() {
      return state.host.url;
    },
    get runtime() {
      return state.host.kernels[0]!.runtime;
    },
    gitopsDir: join(dir, 'gitops'),
    call,
    publish,
    token,
    /** Stores bytes in the shared object store; returns the run artifact that names them. */
    async store(path: string, bytes: Buffer): Promise<RunArtifact> {
      const staged = await objects.stage(Readable.from([bytes]), { maxBytes: 64 * 1024 * 1024 });
      await staged.commit();
      return { path, sha256: createHash('sha256').update(bytes).digest('hex'), size: bytes.length };
    },
    /** Overwrites stored bytes in place, as an attacker with disk access would. */
    tamper(sha256: string, bytes: Buffer) {
      const file = join(dir, 'objects', 'sha256', sha256.slice(0, 2), sha256);
      chmodSync(file, 0o644);
      writeFileSync(file, bytes);
    },
    /** A dataset version lineage made eligible for training. */
    async eligibleDataset(): Promise<string> {
      const id = `sha256:${randomBytes(32).toString('hex')}`;
      await publish({ type: 'DatasetVersionClearedForTraining', data: { datasetVersionId: id, gate: 'privacy+bias', policyVersion: '1' } } as DomainEvent, `dataset-version:${id}`, 'lineage');
      await waitFor(async () => (await host.runtime.db.query(`SELECT 1 FROM ${host.runtime.schema}.dataset_eligibility_v1 WHERE dataset_version_id = $1`, [id])).length === 1, 10_000);
      return id;
    },
    /** A finished run (RunCompleted v2) as experiment would report it; resolves when the registry has seen it. */
    async finishedRun(input: { artifacts: RunArtifact[]; metrics: Record<string, number>; datasetVersionIds: string[]; user?: string; dataUnverified?: boolean }): Promise<string> {
      const runId = randomUUID().replace(/-/g, '');
      await publish({
        type: 'RunCompleted',
        data: {
          runId, metrics: input.metrics, artifactDigest: null, experimentId: '1', user: input.user ?? 'ada', status: 'FINISHED', params: { depth: '6' },
          artifacts: input.artifacts, datasetVersionIds: input.datasetVersionIds, unknownInputs: input.dataUnverified ? ['s3://bucket/unknown.csv'] : [], dataUnverified: input.dataUnverified ?? false,
        },
      } as DomainEvent, `run:${runId}`, 'experiment');
      await waitFor(async () => (await host.runtime.db.query(`SELECT 1 FROM ${host.runtime.schema}.run_facts_v2 WHERE run_id = $1`, [runId])).length === 1, 10_000, `registry to see run ${runId}`);
      return runId;
    },
    /** Registry's own events of these types, decoded, in log order. */
    async events(...types: string[]): Promise<Array<{ type: string; data: Record<string, unknown>; envelope: EnvelopedEvent['envelope'] }>> {
      const runtime = host.runtime;
      const rows: Array<{ data: Buffer }> = await runtime.db.query(`SELECT data FROM ${runtime.schema}.events WHERE type = ANY($1) ORDER BY position`, [types]);
      return rows.map((row) => runtime.codec.decodeEvent(row.data) as never);
    },
    async catchUp() {
      await state.host.kernels[0]!.catchUpReadModels();
    },
  };
  return host;
}

export type RegistryHost = ReturnType<typeof registryHost>;
