import { randomBytes } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import { avroCodec, type EnvelopedEvent, type Prediction } from '@mgov/contracts';
import { Topics } from '@mgov/messaging';
import { ApiError, type FlowResult, issueApiKey, MgovClient, runGovernanceFlow, untilKnownEverywhere } from '@mgov/demo-flow';
import { expectWholeGovernanceChain, GOVERNANCE_CHAIN } from './governance-chain.expectations';
import { distributedEnvironment, SERVICES, type ServiceProcess, startServiceProcess, stopServiceProcess, tail, waitForHealth } from './service-processes';
import { bootstrapAdmin } from './access.fixture';

const brokers = (process.env.MGOV_KAFKA_BROKERS as string).split(',');

describe('walking skeleton on the distributed runtime (six processes, real Kafka and PostgreSQL)', () => {
  const kafka = new Kafka({ clientId: 'e2e', brokers, logLevel: logLevel.NOTHING });
  const producer = kafka.producer();
  const downstream = kafka.consumer({ groupId: `downstream-${randomBytes(4).toString('hex')}` });
  const quarantined: EnvelopedEvent[] = [];
  let services: ServiceProcess[] = [];
  const bootstrap = bootstrapAdmin();
  const urlOf = (name: string) => (services.find((s) => s.name === name) as ServiceProcess).url;

  beforeAll(async () => {
    const { env, logDir } = await distributedEnvironment(bootstrap.token, 'mgov_e2e');
    services = await Promise.all(SERVICES.map((name) => startServiceProcess(name, env, logDir)));
    await Promise.all(services.map((s) => waitForHealth(s)));
    await producer.connect();
    await downstream.connect();
    await downstream.subscribe({ topic: Topics.quarantine, fromBeginning: true });
    await downstream.run({ eachMessage: async ({ message }) => void quarantined.push(avroCodec().decodeEvent(message.value as Buffer)) });
  }, 240_000);

  afterAll(async () => {
    await downstream.disconnect().catch(() => undefined);
    await producer.disconnect().catch(() => undefined);
    await Promise.all(services.map(stopServiceProcess));
  }, 60_000);

  it('runs the whole governance flow through Kafka, one trace from the first call to the audit chain', async () => {
    const traceId = randomBytes(16).toString('hex');
    const publishPredictions = async (predictions: Prediction[]) => {
      await producer.send({
        topic: Topics.predictions,
        messages: predictions.map((p) => ({
          key: p.modelName, value: avroCodec().encode('Prediction', p), headers: { traceparent: `00-${traceId}-${randomBytes(8).toString('hex')}-01` },
        })),
      });
    };
    try {
      const result = await runGovernanceFlow({ urlOf, adminToken: bootstrap.token, publishPredictions, traceparent: `00-${traceId}-${randomBytes(8).toString('hex')}-01`, windowSize: 50 });
      // The flow stops waiting once the retraining request is in the ledger; audit consumes each topic on
      // its own, so a fact from a lagging topic can land a moment later: wait for every one of them.
      const auditor = await issueApiKey(new MgovClient(urlOf), bootstrap, 'chain.auditor', ['governance-auditor']);
      const chain = await new MgovClient(urlOf).eventually('every governance fact in the audit chain', async () => {
        const found = await new MgovClient(urlOf).call<FlowResult['chain']>('audit', 'GET', `/audit/model-versions/${result.modelName}/${result.modelVersion}/chain`, auditor);
        return GOVERNANCE_CHAIN.every((type) => found.events.some((e) => e.type === type)) ? found : undefined;
      });
      expectWholeGovernanceChain({ ...result, chain }, 'occurred');
      expect(new Set(result.chain.events.map((e) => e.traceId))).toEqual(new Set([traceId]));
      const deadline = Date.now() + 60_000;
      while (!quarantined.some((e) => e.type === 'ModelQuarantined' && e.data.modelName === result.modelName)) {
        if (Date.now() > deadline) throw new Error('no ModelQuarantined on mgov.quarantine');
        await new Promise((r) => setTimeout(r, 100));
      }
    } catch (error) {
      for (const s of services) console.error(`--- ${s.name}\n${tail(s.logFile)}`);
      throw error;
    }
  }, 240_000);

  it('accepts the bootstrap admin everywhere once audit published it, and a revocation once each service consumed it', async () => {
    const client = new MgovClient(urlOf);
    await untilKnownEverywhere(client, [bootstrap]);
    const key = await issueApiKey(client, bootstrap, 'short.lived', ['data-steward']);
    await untilKnownEverywhere(client, [key]);
    await client.call('audit', 'POST', `/access/api-keys/${key.keyId}/revoke`, bootstrap, { reason: 'e2e' });
    const revoked = (service: string) => client.call(service, 'GET', '/access/whoami', key).then(() => false, (e) => e instanceof ApiError && e.code === 'AUTH.API_KEY_REVOKED');
    // Audit decides on its write model: at once. Every other service: once it consumed ApiKeyRevoked from Kafka.
    expect(await revoked('audit')).toBe(true);
    await Promise.all(SERVICES.map((service) => client.eventually(`${service} to refuse the revoked key`, () => revoked(service), 30_000)));
  }, 120_000);
});
