import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Kafka, logLevel } from 'kafkajs';
import { ALL_TOPICS, kafkaBus, kafkaSecurityFromEnv, platformAcls, type ReceivedMessage, Topics } from '../src';

// A broker of its own, with SASL/SCRAM and an authorizer (the suite's shared broker runs without either).
// The broker launcher is the suite's test tooling (tools/infra), not a project to depend on.
// eslint-disable-next-line @typescript-eslint/no-require-imports, @nx/enforce-module-boundaries
const { startKafka } = require('../../../tools/infra/kafka.js') as { startKafka: (o: object) => Promise<{ brokers: string; stop(): Promise<void> }> };

const password = () => randomBytes(12).toString('hex');
const users = { admin: password(), 'mgov-registry': password(), 'mgov-lineage': password(), 'scoring-api': password(), billing: password() };
type User = keyof typeof users;
const DENIED = /Not authorized to access topics|Topic authorization failed/;

describe('Kafka with SASL/SCRAM and the platform\'s ACLs (a real secured broker)', () => {
  let broker: { brokers: string; stop(): Promise<void> };
  const clients: Kafka[] = [];
  const client = (user: User, secret = users[user]) => {
    const kafka = new Kafka({ clientId: `acl-test-${user}`, brokers: [broker.brokers], logLevel: logLevel.NOTHING, retry: { retries: 0 },
      sasl: { mechanism: 'scram-sha-512', username: user, password: secret } });
    clients.push(kafka);
    return kafka;
  };
  const send = async (user: User, topic: string) => {
    const producer = client(user).producer({ allowAutoTopicCreation: false, retry: { retries: 0 } });
    await producer.connect();
    try {
      await producer.send({ topic, messages: [{ key: 'k', value: `from ${user}` }] });
    } finally {
      await producer.disconnect();
    }
  };

  beforeAll(async () => {
    const { admin: adminPassword, ...others } = users;
    broker = await startKafka({ secure: { adminPassword, users: Object.entries(others).map(([name, secret]) => ({ name, password: secret })) } });
    const admin = client('admin').admin();
    await admin.connect();
    await admin.createTopics({ waitForLeaders: true, topics: ALL_TOPICS.concat(Topics.events('audit')).map((topic) => ({ topic, numPartitions: 1 })) });
    await admin.disconnect();
    // As an operator does it: the CLI, with a super user's credentials from the environment.
    const { stderr } = await promisify(execFile)(process.execPath, [join(__dirname, '../../../tools/cli/mgov.js'), 'kafka', 'acls', '--inference', 'scoring-api', '--subscriber', 'billing', '--apply'], {
      env: { ...process.env, MGOV_KAFKA_BROKERS: broker.brokers, MGOV_KAFKA_SASL_MECHANISM: 'scram-sha-512', MGOV_KAFKA_USERNAME: 'admin', MGOV_KAFKA_PASSWORD: adminPassword },
    });
    expect(stderr).toContain(`created ${platformAcls({ inferencePrincipals: ['scoring-api'], quarantineSubscribers: ['billing'] }).length} ACLs`);
  }, 120_000);

  afterAll(async () => {
    await broker?.stop();
  });

  it('given a service\'s credentials, then it publishes its own log and another service reads it, through the bus', async () => {
    const env = { MGOV_KAFKA_SASL_MECHANISM: 'scram-sha-512', MGOV_KAFKA_USERNAME: 'mgov-registry', MGOV_KAFKA_PASSWORD: users['mgov-registry'] };
    const registry = kafkaBus({ brokers: broker.brokers, clientId: 'acl-registry', security: kafkaSecurityFromEnv(env) });
    const lineage = kafkaBus({ brokers: broker.brokers, clientId: 'acl-lineage', security: { sasl: { mechanism: 'scram-sha-512', username: 'mgov-lineage', password: users['mgov-lineage'] } } });
    const received: ReceivedMessage[] = [];
    const subscription = await lineage.subscribe({ groupId: 'mgov.lineage.acl-test', topics: [Topics.events('registry')], fromBeginning: true, handle: async (m) => void received.push(m) });
    try {
      await registry.publish(Topics.events('registry'), [{ key: 'model:loans', value: Buffer.from('a registry fact') }]);
      for (let i = 0; i < 200 && received.length === 0; i++) await new Promise((r) => setTimeout(r, 100));
      expect(received.map((m) => m.value.toString())).toEqual(['a registry fact']);
    } finally {
      await subscription.stop();
      await Promise.all([registry.close(), lineage.close()]);
    }
  }, 60_000);

  it('given a service\'s credentials, then it cannot forge another service\'s log', async () => {
    await expect(send('mgov-registry', Topics.events('lineage'))).rejects.toThrow(DENIED);
  });

  it('given an inference service, then it publishes predictions and outcomes but nothing else', async () => {
    await send('scoring-api', Topics.predictions);
    await send('scoring-api', Topics.outcomes);
    await expect(send('scoring-api', Topics.events('registry'))).rejects.toThrow(DENIED);
    await expect(send('scoring-api', Topics.quarantine)).rejects.toThrow(DENIED);
  });

  it('given a downstream system, then it may not publish a quarantine', async () => {
    await expect(send('billing', Topics.quarantine)).rejects.toThrow(DENIED);
  });

  it('given a wrong password, then the broker refuses the connection', async () => {
    const producer = client('mgov-registry', 'not-the-password').producer();
    await expect(producer.connect()).rejects.toThrow(/SASL SCRAM SHA512 authentication failed|Authentication failed/i);
  });

  it('refuses half-configured credentials at start-up', () => {
    expect(() => kafkaSecurityFromEnv({ MGOV_KAFKA_USERNAME: 'x', MGOV_KAFKA_PASSWORD: 'y' })).toThrow(/MGOV_KAFKA_SASL_MECHANISM/);
    expect(() => kafkaSecurityFromEnv({ MGOV_KAFKA_SASL_MECHANISM: 'scram-sha-512', MGOV_KAFKA_USERNAME: 'x' })).toThrow(/MGOV_KAFKA_PASSWORD/);
    expect(() => kafkaSecurityFromEnv({ MGOV_KAFKA_SSL: 'maybe' })).toThrow(/MGOV_KAFKA_SSL/);
    expect(kafkaSecurityFromEnv({})).toEqual({});
  });
});
