import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { Kafka, logLevel, type Producer } from 'kafkajs';
import { Client } from 'pg';
import { avroCodec, type Prediction } from '@mgov/contracts';
import { Topics } from '@mgov/messaging';
import { issueApiKey, MgovClient, prepareEligibleDataset, runGovernanceFlow, untilKnownEverywhere } from '@mgov/demo-flow';
import { SERVICES, type ServiceProcess, startServiceProcess, stopServiceProcess, tail, waitForHealth } from './service-processes';
import { bootstrapAdmin } from './access.fixture';

const databaseUrl = process.env.MGOV_DATABASE_URL as string;
const brokers = (process.env.MGOV_KAFKA_BROKERS as string).split(',');

/** A seeded normal sample (another seed than the flow's, so the fresh data has other bytes). */
function sampler(seed: number) {
  let state = seed;
  const uniform = () => ((state = (state * 1_103_515_245 + 12_345) % 2 ** 31) + 1) / (2 ** 31 + 1);
  return (mean: number, sd: number) => mean + sd * Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
}

describe('the retraining loop (six processes, real Kafka and PostgreSQL): breach → fresh data → approval → training command logs its run → candidate in review', () => {
  const database = `mgov_loop_${randomBytes(4).toString('hex')}`;
  const bootstrap = bootstrapAdmin();
  const producer: Producer = new Kafka({ clientId: 'loop-e2e', brokers, logLevel: logLevel.NOTHING }).producer();
  let services: ServiceProcess[] = [];
  const urlOf = (name: string) => (services.find((s) => s.name === name) as ServiceProcess).url;

  beforeAll(async () => {
    const admin = new Client({ connectionString: databaseUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${database}`);
    await admin.end();
    const url = new URL(databaseUrl);
    url.pathname = `/${database}`;
    const logDir = mkdtempSync(join(tmpdir(), 'mgov-loop-'));
    const env = {
      MGOV_DATABASE_URL: url.toString(), MGOV_KAFKA_BROKERS: brokers.join(','), MGOV_MONITORING_WINDOW: '50',
      MGOV_OBJECT_STORE_DIR: join(logDir, 'objects'), MGOV_LOG_LEVEL: 'warn', MGOV_BOOTSTRAP_TOKEN: bootstrap.token,
      MGOV_PSEUDONYMIZATION_KEY: randomBytes(32).toString('hex'),
    };
    const others = await Promise.all(SERVICES.filter((s) => s !== 'retraining').map((name) => startServiceProcess(name, env, logDir)));
    const experiment = others.find((s) => s.name === 'experiment')!;
    // The example training command logs its run through the experiment API (as the training job's identity: here the bootstrap admin).
    const retraining = await startServiceProcess('retraining', {
      ...env, MGOV_URL: experiment.url, MGOV_TOKEN: bootstrap.token, MGOV_RETRAINING_TIMEOUT_MS: '60000',
      MGOV_RETRAINING_COMMAND: `${process.execPath} -r ./tools/register.js deploy/examples/retraining-command/train.ts`,
    }, logDir);
    services = [...others, retraining];
    await Promise.all(services.map((s) => waitForHealth(s)));
    await producer.connect();
  }, 240_000);
  afterAll(async () => {
    await producer.disconnect().catch(() => undefined);
    await Promise.all(services.map(stopServiceProcess));
  }, 60_000);

  it('sends the retrained model to the mandatory review as a candidate submitted by the approver, never approved by itself', async () => {
    const publishPredictions = async (predictions: Prediction[]) => {
      await producer.send({ topic: Topics.predictions, messages: predictions.map((p) => ({ key: p.modelName, value: avroCodec().encode('Prediction', p) })) });
    };
    try {
      const flow = await runGovernanceFlow({ urlOf, adminToken: bootstrap.token, publishPredictions, windowSize: 50 });
      const client = new MgovClient(urlOf);
      const [steward, engineer] = await Promise.all([issueApiKey(client, bootstrap, 'dana.steward', ['data-steward']), issueApiKey(client, bootstrap, 'mia.engineer', ['ml-engineer'])]);
      await untilKnownEverywhere(client, [steward, engineer]);
      const retrainingId = flow.reviewCase.retraining_id!;
      const path = `/retraining/retrainings/${encodeURIComponent(retrainingId)}`;
      expect(flow.reviewCase.retraining_status).toBe('waiting_for_data');

      const suffix = flow.modelName.replace('credit-risk-', '');
      const fresh = await prepareEligibleDataset(client, steward, { sourceId: `crm-export-${suffix}`, datasetName: `loans-${suffix}`, normal: sampler(4242) });
      await client.call('retraining', 'POST', `${path}/approve`, engineer, { justification: 'fresh cleared data, retrain now' });

      const done = await client.eventually('the retraining to succeed', async () => {
        const row = await client.call<{ status: string; dataset_version_id: string; run_id: string | null; last_error: string | null; log_tail: string | null }>('retraining', 'GET', path, engineer);
        if (row.status === 'failed') throw new Error(`retraining failed: ${row.last_error}\n${row.log_tail}`);
        return row.status === 'succeeded' ? row : undefined;
      }, 120_000);
      expect(done.dataset_version_id).toBe(fresh.datasetVersionId);

      const candidate = await client.eventually('the registry to take the retrained model as a candidate', () =>
        client.call<Record<string, unknown>>('registry', 'GET', `/registry/models/${flow.modelName}/candidates/${encodeURIComponent(`retraining-${retrainingId}`)}`, engineer)
          .catch(() => undefined), 60_000);
      expect(JSON.stringify(candidate)).toContain('mia.engineer');
      expect(JSON.stringify(candidate)).toContain(done.run_id!);
      expect(String(candidate.status)).not.toMatch(/^(approved|registered)$/);
    } catch (error) {
      for (const s of services) console.error(`--- ${s.name}\n${tail(s.logFile)}`);
      throw error;
    }
  }, 300_000);
});
