import { Kafka, logLevel, type Producer } from 'kafkajs';
import { avroCodec, type Prediction } from '@mgov/contracts';
import { Topics } from '@mgov/messaging';
import { MgovClient, runGovernanceFlow, runRetrainingLoop } from '@mgov/demo-flow';
import { distributedEnvironment, SERVICES, type ServiceProcess, startServiceProcess, stopServiceProcess, tail, waitForHealth } from './service-processes';
import { bootstrapAdmin } from './access.fixture';
import { expectRetrainedCandidate } from './retraining.expectations';

const brokers = (process.env.MGOV_KAFKA_BROKERS as string).split(',');

describe('the retraining loop (six processes, real Kafka and PostgreSQL): breach → fresh data → approval → training command logs its run → candidate in review', () => {
  const bootstrap = bootstrapAdmin();
  const producer: Producer = new Kafka({ clientId: 'loop-e2e', brokers, logLevel: logLevel.NOTHING }).producer();
  let services: ServiceProcess[] = [];
  const urlOf = (name: string) => (services.find((s) => s.name === name) as ServiceProcess).url;

  beforeAll(async () => {
    const { env, logDir } = await distributedEnvironment(bootstrap.token, 'mgov_loop');
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
      expectRetrainedCandidate(flow, await runRetrainingLoop(client, bootstrap, flow));
    } catch (error) {
      for (const s of services) console.error(`--- ${s.name}\n${tail(s.logFile)}`);
      throw error;
    }
  }, 300_000);
});
