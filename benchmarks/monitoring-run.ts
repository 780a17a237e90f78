// What bench:monitoring and bench:monitoring-ab share: the set-up (100 registered model versions,
// the traffic published once) and one measured consumption by the monitoring service, in a child
// process of its own with the node flags it is deployed with.
import { type ChildProcess, fork, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { Topics } from '@mgov/messaging';
import { profileColumns } from '@mgov/stats';
import { engineer, monitoringHost, registerModelVersion, type MonitoringHost } from '../services/monitoring/test/monitoring-host';
import type { FromService, ToService } from './monitoring-service';
import { benchModel, trainingRows } from './monitoring-traffic';

export const MODELS = 100;

/** As docker-compose runs the monitoring service (deploy/test/compose.unit.spec.ts holds it there). */
export const SERVICE_NODE_FLAGS = ['--single-threaded-gc', '--max-semi-space-size=16', '--max-old-space-size=192', '--heap-growing-percent=100'];
/** As docker-compose sets MGOV_MONITORING_HELPER_THREADS_NICE for the monitoring service (the same spec holds it there). */
export const SERVICE_HELPER_THREADS_NICE = 10;

export const now = () => Number(process.hrtime.bigint()) / 1e6;
export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export const benchKafka = (brokers: string) => new Kafka({ brokers: brokers.split(','), logLevel: logLevel.NOTHING });

/** Waits for the service process's next message of a kind; fails if it exits first. */
export function serviceReplies(service: ChildProcess): <K extends FromService['kind']>(kind: K) => Promise<Extract<FromService, { kind: K }>> {
  const received: FromService[] = [];
  let wake: (() => void) | undefined;
  let exited: number | null | undefined;
  service.on('message', (message: FromService) => {
    received.push(message);
    wake?.();
  });
  service.on('exit', (code) => {
    exited = code;
    wake?.();
  });
  return async (kind) => {
    for (;;) {
      const at = received.findIndex((m) => m.kind === kind);
      if (at !== -1) return received.splice(at, 1)[0] as never;
      if (exited !== undefined) throw new Error(`the monitoring service process exited (${exited}) before '${kind}'`);
      await new Promise<void>((resolve) => (wake = resolve));
    }
  };
}

/** Each partition's end offset of the monitoring stream: the service is done when it stored these. */
export async function endOffsets(kafka: Kafka): Promise<Map<string, bigint>> {
  const admin = kafka.admin();
  await admin.connect();
  const ends = new Map<string, bigint>();
  for (const topic of [Topics.predictions, Topics.outcomes]) {
    for (const p of await admin.fetchTopicOffsets(topic)) ends.set(`${topic}:${p.partition}`, BigInt(p.high));
  }
  await admin.disconnect();
  return ends;
}

export interface Published {
  readonly events: number;
  readonly outcomes: number;
  readonly seconds: number;
}

/**
 * A database with MODELS registered model versions (and 'bench-latency', windows of 100) the
 * service knows, and `events` predictions (+ 10 % outcomes) published while it does not run.
 */
export async function setUpMonitoringBench(databaseUrl: string, brokers: string, events: number): Promise<{ host: MonitoringHost; published: Published }> {
  const profile = profileColumns(trainingRows(5_000));
  // Setting up reads no predictions: without a fetch thread, whose memory would stay with this process
  // when it ends and count in the measured run's RSS.
  const host = await monitoringHost({ databaseUrl, brokers, windowSize: 1000, fetchThread: false });
  for (let i = 0; i < MODELS; i += 1) await registerModelVersion(host.bus, { modelName: benchModel(i), version: 1, profile, metrics: { accuracy: 0.8, f1: 0.8 } });
  await registerModelVersion(host.bus, { modelName: 'bench-latency', version: 1, profile, metrics: { accuracy: 0.8 } });
  for (;;) {
    const known = await host.db.query<{ n: string }>(`SELECT count(*) AS n FROM mgov_monitoring.monitored_versions_v1 v JOIN mgov_monitoring.dataset_profiles_v1 p ON p.dataset_version_id = v.dataset_version_ids->>0`);
    if (Number(known[0]!.n) >= MODELS + 1) break;
    await sleep(100);
  }
  await host.service.setPolicy('bench-latency', { window: { unit: 'events', size: 100, slide: 100 } }, engineer('bench'));
  await host.stop();

  const publish = spawnSync(process.execPath, ['-r', join(__dirname, '../tools/register.js'), join(__dirname, 'monitoring-publish.ts'), brokers, String(events), String(MODELS)], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  if (publish.status !== 0) throw new Error('publishing failed');
  return { host, published: JSON.parse(publish.stdout.trim().split('\n').pop()!) as Published };
}

export interface ServiceRun {
  readonly service: ChildProcess;
  readonly fromService: ReturnType<typeof serviceReplies>;
  /** From subscribed until every offset in `ends` was stored. */
  readonly seconds: number;
  /** From the fork until subscribed. */
  readonly bootSeconds: number;
  readonly measured: Extract<FromService, { kind: 'measured' }>;
  /** Busy CPU seconds of the whole machine meanwhile (every process: the broker and PostgreSQL too); null off Linux. */
  readonly machineCpuSeconds: number | null;
}

/** Busy CPU seconds of the machine since boot (Linux's /proc/stat: all but idle and iowait); null elsewhere. */
function machineBusySeconds(): number | null {
  try {
    const ticks = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.split(/\s+/).slice(1).map(Number);
    return (ticks.reduce((a, b) => a + b, 0) - ticks[3]! - ticks[4]!) / 100;
  } catch {
    return null;
  }
}

/**
 * The monitoring service (of the checkout `root`: this one by default) consumes the stream on
 * `databaseUrl` until it stored every offset in `ends`; it keeps running (send it 'stop').
 */
export async function consumeWithService(options: {
  readonly databaseUrl: string; readonly brokers: string; readonly ends: ReadonlyMap<string, bigint>; readonly fetchThread: boolean;
  readonly extraFlags?: readonly string[]; readonly root?: string; readonly env?: NodeJS.ProcessEnv;
  /** The service's MGOV_MONITORING_HELPER_THREADS_NICE (0: off); as deployed by default. */
  readonly helperThreadsNice?: number;
}): Promise<ServiceRun> {
  const root = options.root ?? join(__dirname, '..');
  const t0 = now();
  const service = fork(join(root, 'benchmarks', 'monitoring-service.ts'), [options.databaseUrl, options.brokers, options.fetchThread ? '1' : '0', String(options.helperThreadsNice ?? SERVICE_HELPER_THREADS_NICE)], {
    execArgv: [...SERVICE_NODE_FLAGS, ...(options.extraFlags ?? []), '-r', join(root, 'tools', 'register.js')], stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    ...(options.env ? { env: options.env } : {}),
  });
  const fromService = serviceReplies(service);
  await fromService('subscribed');
  const subscribed = now();
  const busyBefore = machineBusySeconds();
  const { Client } = await import('pg');
  const db = new Client({ connectionString: options.databaseUrl });
  await db.connect();
  try {
    for (;;) {
      const { rows } = await db.query<{ topic: string; partition: number; next_offset: string }>(`SELECT topic, partition, next_offset FROM mgov_monitoring.pipeline_offsets_v1`);
      const stored = new Map(rows.map((r) => [`${r.topic}:${r.partition}`, BigInt(r.next_offset)]));
      if ([...options.ends].every(([key, end]) => (stored.get(key) ?? 0n) >= end)) break;
      await sleep(20);
    }
  } finally {
    await db.end();
  }
  const seconds = (now() - subscribed) / 1000;
  const busyAfter = machineBusySeconds();
  service.send({ kind: 'measured' } satisfies ToService);
  const measured = await fromService('measured');
  const machineCpuSeconds = busyBefore === null || busyAfter === null ? null : busyAfter - busyBefore;
  return { service, fromService, seconds, bootSeconds: (subscribed - t0) / 1000, measured, machineCpuSeconds };
}

/** Stops the service of a run and waits for its process to exit. */
export async function stopService(run: ServiceRun): Promise<void> {
  run.service.send({ kind: 'stop' } satisfies ToService);
  if (run.service.exitCode === null) await new Promise((resolve) => run.service.once('exit', resolve));
}

/** Runs one statement on the server of `databaseUrl` (CREATE / DROP DATABASE take no transaction). */
export async function adminQuery(databaseUrl: string, sql: string): Promise<void> {
  const { Client } = await import('pg');
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** `databaseUrl` with its database replaced by `name`. */
export function databaseNamed(databaseUrl: string, name: string): string {
  const url = new URL(databaseUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/**
 * Every consumer group back to the start of the monitoring stream, and to the end of every other
 * topic: for a run on a copy of the set-up's database (`CREATE DATABASE … TEMPLATE`), what the
 * groups read before (registrations) is in the copy already, and what earlier runs wrote belongs
 * to their databases.
 */
export async function rewindGroups(kafka: Kafka): Promise<void> {
  const kafkaAdmin = kafka.admin();
  await kafkaAdmin.connect();
  try {
    const { groups } = await kafkaAdmin.listGroups();
    for (const { groupId } of groups) {
      for (const { topic } of await kafkaAdmin.fetchOffsets({ groupId })) {
        if (topic === Topics.predictions || topic === Topics.outcomes) {
          await kafkaAdmin.resetOffsets({ groupId, topic, earliest: true });
          continue;
        }
        const ends = await kafkaAdmin.fetchTopicOffsets(topic);
        await kafkaAdmin.setOffsets({ groupId, topic, partitions: ends.map(({ partition, high }) => ({ partition, offset: high })) });
      }
    }
  } finally {
    await kafkaAdmin.disconnect();
  }
}
