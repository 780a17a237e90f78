// Child process of benchmarks/monitoring.bench.ts: a bare kafkajs consumer of the monitoring topics,
// run with node's default flags (not the service's): the transport's limit as anyone would get it.
// argv: brokers total mode (bare: hands each value to nothing; decode: decodes it with the generic
// Avro codec and does nothing else). Prints {"seconds", "cpuSeconds"} of the consumption.
import { Kafka, logLevel } from 'kafkajs';
import { avroCodec } from '@mgov/contracts';
import { BATCH_FETCH, Topics } from '@mgov/messaging';

const now = () => Number(process.hrtime.bigint()) / 1e6;

async function main(): Promise<void> {
  const [brokers, totalText, mode] = process.argv.slice(2);
  const total = Number(totalText);
  const codec = avroCodec();
  const look: (value: Buffer) => void = mode === 'decode' ? (value) => void codec.decode(value) : () => undefined;
  const kafka = new Kafka({ brokers: brokers!.split(','), logLevel: logLevel.NOTHING });
  const consumer = kafka.consumer({ groupId: `bench-bare-${process.pid}-${Date.now()}`, ...BATCH_FETCH });
  await consumer.connect();
  await consumer.subscribe({ topics: [Topics.predictions, Topics.outcomes], fromBeginning: true });
  let seen = 0;
  const done = new Promise<void>((resolve) => {
    void consumer.run({
      autoCommit: false,
      eachBatch: async ({ batch }) => {
        for (const message of batch.messages) look(message.value!);
        seen += batch.messages.length;
        if (seen >= total) resolve();
      },
    });
  });
  const t0 = now();
  const cpu = process.cpuUsage();
  await done;
  const seconds = (now() - t0) / 1000;
  const used = process.cpuUsage(cpu);
  await consumer.disconnect();
  process.stdout.write(`${JSON.stringify({ seconds, cpuSeconds: (used.user + used.system) / 1e6 })}\n`);
}

void main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
