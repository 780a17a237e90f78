// Child process of benchmarks/monitoring.bench.ts: publishes the benchmark's predictions (and 10 %
// outcomes) to Kafka through @mgov/inference-client, so publishing adds nothing to the bench's RSS.
// argv: brokers events models
import { InferenceClient } from '@mgov/inference-client';
import { prediction, uniform } from './monitoring-traffic';

async function main(): Promise<void> {
  const [brokers, eventsText, modelsText] = process.argv.slice(2);
  const events = Number(eventsText);
  const models = Number(modelsText);
  const client = new InferenceClient({ transport: { kind: 'kafka', brokers: brokers!, clientId: 'bench-publisher' }, batchSize: 10_000, lingerMs: 1000 });
  const rand = uniform(0x2545f491);
  const started = Date.now();
  const base = Date.UTC(2030, 0, 1);
  for (let i = 0; i < events; i += 1) {
    const p = prediction(i, models, rand, base + i);
    await client.predict(p);
    if (i % 10 === 0) await client.outcome({ predictionId: p.predictionId, groundTruth: rand() < 0.8 ? p.predictedClass! : '1', eventTime: base + i, modelName: p.modelName });
  }
  await client.close();
  process.stdout.write(`${JSON.stringify({ events, outcomes: Math.ceil(events / 10), seconds: (Date.now() - started) / 1000 })}\n`);
}

void main();
