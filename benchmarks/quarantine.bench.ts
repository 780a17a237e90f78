/*
 * npm run bench:quarantine — time from a breaching alert event published on mgov.monitoring.events to
 * ModelQuarantined decoded from mgov.quarantine (by the example downstream consumer), over 100
 * breaches of 100 model versions, one at a time, through the retraining service running as its own
 * process on a real Kafka and PostgreSQL. Baseline in the same run: a bare kafkajs publish → consume
 * round trip on the same broker. Target: p99 ≤ 500 ms.
 */
import { randomBytes } from 'node:crypto';
import { Topics } from '@mgov/messaging';
import { quarantineDecoder } from '../deploy/examples/quarantine-consumer/quarantine-consumer';
import { driftAlert, modelRegistered, RetrainingProcess } from '../services/retraining/test/retraining-process';

const BREACHES = Number(process.env.BENCH_BREACHES ?? 100);

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
};
const fmt = (ms: number) => `${ms.toFixed(1)} ms`;

async function main(): Promise<void> {
  const rt = new RetrainingProcess();
  await rt.start({ MGOV_LOG_LEVEL: 'error' });
  const run = randomBytes(3).toString('hex');
  const models = Array.from({ length: BREACHES }, (_, i) => `bench-${run}-${i}`);
  const waiting = new Map<string, (at: number) => void>();
  const decode = quarantineDecoder();
  const producer = rt.kafka.producer();
  await producer.connect();
  try {
    // Baseline: the transport alone, publish → consume on the same broker, one message at a time.
    const baselineTopic = `bench.roundtrip.${run}`;
    const admin = rt.kafka.admin();
    await admin.connect();
    await admin.createTopics({ waitForLeaders: true, topics: [{ topic: baselineTopic }] });
    await admin.disconnect();
    const echo = rt.kafka.consumer({ groupId: `bench-echo-${run}` });
    await echo.connect();
    await echo.subscribe({ topic: baselineTopic, fromBeginning: true });
    await echo.run({ eachMessage: async ({ message }) => waiting.get(message.key!.toString())?.(performance.now()) });
    const downstream = rt.kafka.consumer({ groupId: `bench-downstream-${run}` });
    await downstream.connect();
    await downstream.subscribe({ topic: Topics.quarantine, fromBeginning: false });
    await downstream.run({
      eachMessage: async ({ message }) => {
        const notice = decode(message.value!);
        if (notice.type === 'ModelQuarantined') waiting.get(notice.modelName)?.(performance.now());
      },
    });
    const roundTrip = async (key: string, send: () => Promise<unknown>): Promise<number> => {
      const arrived = new Promise<number>((resolve) => waiting.set(key, resolve));
      const start = performance.now();
      await send();
      const end = await Promise.race([arrived, new Promise<number>((_, reject) => setTimeout(() => reject(new Error(`no answer for ${key} in 30 s`)), 30_000))]);
      waiting.delete(key);
      return end - start;
    };

    // Warm-up (consumer group joins, first-fetch paths) and the model versions' registration.
    for (const m of models) await rt.publish('registry', modelRegistered(m, `${m}-data`));
    await roundTrip('warm', () => producer.send({ topic: baselineTopic, messages: [{ key: 'warm', value: 'x' }] }));
    const warm = `bench-${run}-warm`;
    await rt.publish('registry', modelRegistered(warm, `${warm}-data`));
    await roundTrip(warm, () => rt.publish('monitoring', driftAlert(warm, 'breach')));

    const baseline: number[] = [];
    for (let i = 0; i < BREACHES; i++) {
      baseline.push(await roundTrip(`k${i}`, () => producer.send({ topic: baselineTopic, messages: [{ key: `k${i}`, value: randomBytes(600) }] })));
    }
    const quarantine: number[] = [];
    for (const m of models) quarantine.push(await roundTrip(m, () => rt.publish('monitoring', driftAlert(m, 'breach'))));

    const p = (values: number[]) => ({ p50: percentile(values, 50), p99: percentile(values, 99), max: Math.max(...values) });
    const b = p(baseline);
    const q = p(quarantine);
    console.log(`breaching alert → ModelQuarantined on ${Topics.quarantine} (${BREACHES} breaches, retraining as its own process, real Kafka + PostgreSQL)`);
    console.log(`  quarantine:  p50 ${fmt(q.p50)}  p99 ${fmt(q.p99)}  max ${fmt(q.max)}   (target p99 ≤ 500 ms: ${q.p99 <= 500 ? 'met' : 'MISSED'})`);
    console.log(`  baseline (bare kafkajs publish → consume, same broker):  p50 ${fmt(b.p50)}  p99 ${fmt(b.p99)}  max ${fmt(b.max)}`);
    console.log(`  ratio quarantine / baseline:  p50 ${(q.p50 / b.p50).toFixed(2)}×  p99 ${(q.p99 / b.p99).toFixed(2)}×`);
    await echo.disconnect();
    await downstream.disconnect();
  } finally {
    await producer.disconnect();
    await rt.stop();
  }
}

main().then(() => process.exit(0), (error: unknown) => {
  console.error(error);
  process.exit(1);
});
