// Monitoring throughput, detection latency and memory on the real Kafka and PostgreSQL.
// 1. A child process publishes BENCH_MONITORING_EVENTS predictions (default 1,000,000; 20 numeric + 5
//    categorical features, 2 protected groups) for 100 registered model versions, plus an outcome
//    for every 10th, through @mgov/inference-client. The monitoring service is not running meanwhile.
// 2. The monitoring service (a child process, monitoring-service.ts) starts and consumes all of it: windows of 1000 events per
//    version, every window evaluated and stored. Its rate = events / time from the moment it joined its
//    consumer group until every offset is stored (its start-up time is printed beside it). It runs three
//    times, as the bare consumer does (the machine is shared: one run's rate varies by ±10%), and the
//    median run counts: twice on copies of the set-up's database (`CREATE DATABASE … TEMPLATE`, consumer
//    groups rewound), then on the database itself, which stays up for the latency trials.
// 3. A bare kafkajs consumer (new group, eachBatch, the service's fetch sizes, no decoding) reads the
//    same topics, three times (the median run counts), in a child process with node's default flags
//    (the service runs with its deployment's, --single-threaded-gc): the transport's limit. Prints both rates and their ratio (targets >= 50,000 events/s
//    and >= 0.5), and the CPU time each spent per event (each process, all its threads). For scale,
//    the same consumer decoding every message with the generic Avro codec and doing nothing else, and
//    the same consumer with record batches kept as bytes (as the service's fetch thread reads them).
// 4. Detection latency: 30 times, a breaching window is published for a dedicated model version;
//    from the publish of its last event to the DataDriftDetected on mgov.monitoring.events (p50, p99).
// 5. Peak RSS of the service's process (the service runs in a child process of its own, with the
//    node flags docker-compose gives it: --single-threaded-gc, --max-old-space-size=192 ...) while it
//    ran with 100 model versions x 25 features active. Its state is bounded by design, but V8 grows
//    its heap lazily up to its limit (printed).
// Run: npm run bench:monitoring
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { avroCodec } from '@mgov/contracts';
import { InferenceClient } from '@mgov/inference-client';
import { Topics } from '@mgov/messaging';
import {
  adminQuery, benchKafka, consumeWithService, databaseNamed, endOffsets, MODELS, now, rewindGroups, type ServiceRun, setUpMonitoringBench, sleep, stopService,
} from './monitoring-run';
import { prediction, uniform } from './monitoring-traffic';

const EVENTS = Number(process.env.BENCH_MONITORING_EVENTS ?? 1_000_000);
const TRIALS = 30;
/** Runs of the service on copies of the database, before the run on the database itself. */
const COPY_RUNS = 2;
const TARGETS = { rate: 50_000, ratio: 0.5, p99Ms: 1000, peakRssMb: 400 };
const databaseUrl = process.env.MGOV_DATABASE_URL!;
const brokers = process.env.MGOV_KAFKA_BROKERS!;
const kafka = benchKafka(brokers);

/**
 * A bare kafkajs consumer of both topics in a child process with node's default flags (the service
 * runs with its deployment's: a bare consumer is not to inherit them), handing each value to nothing
 * or to the generic Avro decode.
 */
function bareConsumer(total: number, mode: 'bare' | 'decode' | 'in-place' = 'bare'): { seconds: number; cpuSeconds: number } {
  const run = spawnSync(process.execPath, ['-r', join(__dirname, '../tools/register.js'), join(__dirname, 'monitoring-bare.ts'), brokers, String(total), mode], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  if (run.status !== 0) throw new Error(`the bare consumer (${mode}) failed`);
  return JSON.parse(run.stdout.trim().split('\n').pop()!) as { seconds: number; cpuSeconds: number };
}

/** The window evaluations stored in the database of the service's last run. */
async function countWindows(url: string): Promise<string> {
  const { Client } = await import('pg');
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const rows = await client.query<{ n: string }>(`SELECT count(*) AS n FROM mgov_monitoring.events WHERE type = 'MonitoringWindowEvaluated'`);
    return rows.rows[0]!.n;
  } catch {
    return '?';
  } finally {
    await client.end();
  }
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

async function main(): Promise<void> {
  const { host, published } = await setUpMonitoringBench(databaseUrl, brokers, EVENTS);
  const total = published.events + published.outcomes;
  const ends = await endOffsets(kafka);

  // The service in a process of its own, with the node flags it is deployed with (docker-compose):
  // its RSS and CPU are then its own, not the set-up's and this process's.
  const consume = (databaseUrl: string) => consumeWithService({
    databaseUrl, brokers, ends, fetchThread: process.env.BENCH_FETCH_THREAD !== '0',
    extraFlags: process.env.BENCH_SERVICE_FLAGS?.split(' ').filter(Boolean) ?? [],
  });
  // A database is copied only without sessions on it.
  const template = new URL(host.databaseUrl).pathname.slice(1);
  await host.db.close();
  const runs: Array<Pick<ServiceRun, 'seconds' | 'bootSeconds' | 'measured'>> = [];
  for (let copy = 1; copy <= COPY_RUNS; copy += 1) {
    const database = `${template}_run${copy}`;
    await adminQuery(databaseUrl, `CREATE DATABASE ${database} TEMPLATE ${template}`);
    await rewindGroups(kafka);
    const copyRun = await consume(databaseNamed(databaseUrl, database));
    await stopService(copyRun);
    await adminQuery(databaseUrl, `DROP DATABASE ${database} WITH (FORCE)`);
    runs.push(copyRun);
  }
  await rewindGroups(kafka);
  const run = await consume(host.databaseUrl);
  runs.push(run);
  const byRate = [...runs].sort((a, b) => a.seconds - b.seconds);
  const { measured, seconds: serviceSeconds, bootSeconds } = byRate[Math.floor((byRate.length - 1) / 2)]!;
  const peakRss = Math.max(...runs.map((r) => r.measured.peakRss));
  const serviceCpuSeconds = measured.cpuSeconds;
  const windows = await countWindows(host.databaseUrl);

  // Detection latency, with the service live.
  const codec = avroCodec();
  const alerts = new Map<number, number>();
  const consumer = kafka.consumer({ groupId: `bench-alerts-${Date.now()}`, maxWaitTimeInMs: 10 });
  await consumer.connect();
  await consumer.subscribe({ topic: Topics.events('monitoring'), fromBeginning: false });
  await consumer.run({
    eachMessage: async ({ message }) => {
      const event = codec.decodeEvent(message.value!);
      if (event.type === 'DataDriftDetected' && event.data.modelName === 'bench-latency' && !alerts.has(event.data.windowIndex)) alerts.set(event.data.windowIndex, now());
    },
  });
  await sleep(2000);
  const client = new InferenceClient({ transport: { kind: 'kafka', brokers, clientId: 'bench-latency' }, batchSize: 1000, lingerMs: 1 });
  const rand = uniform(99);
  const latencies: number[] = [];
  for (let trial = 0; trial < TRIALS; trial += 1) {
    for (let i = 0; i < 99; i += 1) await client.predict(prediction(trial * 100 + i, 1, rand, Date.UTC(2031, 0, 1) + trial * 100 + i, 500, 'bench-latency'));
    await client.flush();
    await sleep(300);
    const sent = now();
    await client.predict(prediction(trial * 100 + 99, 1, rand, Date.UTC(2031, 0, 1) + trial * 100 + 99, 500, 'bench-latency'));
    await client.flush();
    for (let waited = 0; !alerts.has(trial) && waited < 10_000; waited += 2) await sleep(2);
    if (alerts.has(trial)) latencies.push(alerts.get(trial)! - sent);
  }
  await client.close();
  await consumer.disconnect();
  await stopService(run);
  await adminQuery(databaseUrl, `DROP DATABASE ${template} WITH (FORCE)`);

  // A few seconds each on a shared machine: the bare consumer runs three times, and the median run is the baseline.
  const bares: Array<{ seconds: number; cpuSeconds: number }> = [];
  for (let run = 0; run < 3; run += 1) bares.push(bareConsumer(total));
  bares.sort((a, b) => a.seconds - b.seconds);
  const bare = bares[1]!;
  const bareSeconds = bare.seconds;
  // For scale: the same consumer decoding every message with the generic Avro codec, and nothing else.
  const decodeOnly = bareConsumer(total, 'decode');
  // And with kafkajs's records kept as bytes, as the service's fetch thread reads them: its transport.
  const inPlace = bareConsumer(total, 'in-place');
  const serviceRate = total / serviceSeconds;
  const bareRate = total / bareSeconds;
  latencies.sort((a, b) => a - b);
  const perEventOf = (cpuSeconds: number) => ((cpuSeconds / total) * 1e6).toFixed(2);
  const line = (label: string, value: string, target = '') => console.log(`  ${label.padEnd(34)}${value.padStart(14)}  ${target}`);
  console.log(`monitoring: ${published.events.toLocaleString()} predictions + ${published.outcomes.toLocaleString()} outcomes, ${MODELS} model versions x 25 features (published in ${published.seconds.toFixed(1)} s)`);
  line('service end-to-end (events/s)', serviceRate.toFixed(0), `target >= ${TARGETS.rate}; median of ${runs.length} runs (${runs.map((r) => (total / r.seconds).toFixed(0)).join(', ')}); its ${serviceSeconds.toFixed(2)} s from subscribed (+${bootSeconds.toFixed(2)} s start); ${windows} windows evaluated in the last`);
  line('bare kafkajs consumer (events/s)', bareRate.toFixed(0), `median of 3 runs (${bares.map((b) => (total / b.seconds).toFixed(0)).join(', ')}), no decoding`);
  line('ratio service / bare', (serviceRate / bareRate).toFixed(3), `target >= ${TARGETS.ratio}`);
  line('kafkajs + generic Avro decode only', (total / decodeOnly.seconds).toFixed(0), `events/s, ratio ${(total / decodeOnly.seconds / bareRate).toFixed(3)}: the ceiling of any consumer that decodes each message with avsc`);
  line('kafkajs, records kept as bytes', (total / inPlace.seconds).toFixed(0), `events/s, ${perEventOf(inPlace.cpuSeconds)} us CPU per event: the service's own transport (ratio to it ${(serviceRate / (total / inPlace.seconds)).toFixed(3)})`);
  const perEvent = perEventOf;
  line('CPU per event (us)', `${perEvent(serviceCpuSeconds)} / ${perEvent(bare.cpuSeconds)}`, `service / bare, of their median runs (${perEvent(decodeOnly.cpuSeconds)} decode only); all threads of each process (kafkajs, GC, the service)`);
  line('detection latency p50 (ms)', latencies.length ? percentile(latencies, 50).toFixed(0) : 'n/a', `${latencies.length}/${TRIALS} breaching windows alerted`);
  line('detection latency p99 (ms)', latencies.length ? percentile(latencies, 99).toFixed(0) : 'n/a', `target <= ${TARGETS.p99Ms}`);
  const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(0);
  line('peak RSS while consuming (MB)', mb(peakRss), `target <= ${TARGETS.peakRssMb}; the highest of the service's ${runs.length} runs (its process; ${mb(measured.rssBefore)} MB at its start), peak JS heap ${mb(measured.peakHeap)} MB of a ${mb(measured.heapLimit)} MB limit (median run)`);
  process.exit(0);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
