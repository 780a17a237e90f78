// Child process of benchmarks/monitoring.bench.ts: a bare kafkajs consumer of the monitoring topics,
// run with node's default flags (not the service's): the transport's limit as anyone would get it.
// argv: brokers total mode (bare: hands each value to nothing; decode: decodes it with the generic
// Avro codec and does nothing else; in-place: kafkajs with record batches kept as bytes, as the
// service's fetch thread has it, each record's value found and handed to nothing). Prints
// {"seconds", "cpuSeconds"} of the consumption.
import { type Batch, Kafka, logLevel } from 'kafkajs';
import { avroCodec } from '@mgov/contracts';
import { BATCH_FETCH, Topics } from '@mgov/messaging';
import { fetchedOffsetOf, inPlaceRecordsOf, keepRecordBatchesInPlace, readRecords } from '../libs/messaging/src/kafka/in-place-record-batches';

const now = () => Number(process.hrtime.bigint()) / 1e6;

async function main(): Promise<void> {
  const [brokers, totalText, mode] = process.argv.slice(2);
  const total = Number(totalText);
  const codec = avroCodec();
  const look: (value: Buffer) => void = mode === 'decode' ? (value) => void codec.decode(value) : () => undefined;
  if (mode === 'in-place') keepRecordBatchesInPlace();
  const kafka = new Kafka({ brokers: brokers!.split(','), logLevel: logLevel.NOTHING });
  const consumer = kafka.consumer({ groupId: `bench-bare-${process.pid}-${Date.now()}`, ...BATCH_FETCH });
  await consumer.connect();
  await consumer.subscribe({ topics: [Topics.predictions, Topics.outcomes], fromBeginning: true });
  let seen = 0;
  const done = new Promise<void>((resolve) => {
    void consumer.run({
      autoCommit: false,
      eachBatch: async ({ batch }) => {
        seen += mode === 'in-place' ? recordsOf(batch) : batch.messages.length;
        if (mode !== 'in-place') for (const message of batch.messages) look(message.value!);
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

/** Records of a batch whose record batches were kept in place, each one's value found (as packing does). */
function recordsOf(batch: Batch): number {
  const from = fetchedOffsetOf(batch);
  let count = 0;
  let valueBytes = 0;
  for (const message of batch.messages) {
    const records = inPlaceRecordsOf(message);
    if (records === undefined) count += 1;
    else {
      readRecords(records, from, (record) => {
        valueBytes += record.valueEnd - record.valueStart;
        count += 1;
      });
    }
  }
  // Read, so the walk is not optimized away.
  if (valueBytes < 0) throw new Error('negative value size');
  return count;
}

void main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
