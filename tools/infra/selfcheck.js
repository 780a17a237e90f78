'use strict';
// Proves the real infrastructure works on this machine: PostgreSQL `select 1`, Kafka produce + consume.
// Usage: node tools/infra/selfcheck.js
process.env.KAFKAJS_NO_PARTITIONER_WARNING = '1';
const { startPostgres } = require('./postgres');
const { startKafka, createTopics } = require('./kafka');

const secs = (t0) => `${((Date.now() - t0) / 1000).toFixed(1)}s`;
const say = (m) => process.stderr.write(`selfcheck: ${m}\n`);

async function checkPostgres(url) {
  const { Client } = require('pg');
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query('select 1 as one');
    if (rows[0].one !== 1) throw new Error(`select 1 returned ${JSON.stringify(rows)}`);
  } finally {
    await client.end();
  }
}

async function checkKafka(brokers) {
  const { Kafka, logLevel } = require('kafkajs');
  const topic = `mgov.selfcheck.${Date.now()}`;
  await createTopics(brokers, [topic], 1);
  const kafka = new Kafka({ clientId: 'mgov-selfcheck', brokers: [brokers], logLevel: logLevel.WARN });
  const producer = kafka.producer();
  const consumer = kafka.consumer({ groupId: `${topic}.group` });
  const payload = `hello ${process.pid}`;
  try {
    await Promise.all([producer.connect(), consumer.connect()]);
    await consumer.subscribe({ topic, fromBeginning: true });
    const received = new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no message consumed within 30s')), 30_000);
      consumer.run({
        eachMessage: async ({ message }) => {
          clearTimeout(timer);
          resolve(message.value.toString());
        },
      });
    });
    await producer.send({ topic, messages: [{ key: 'k', value: payload }] });
    const got = await received;
    if (got !== payload) throw new Error(`consumed ${JSON.stringify(got)}, expected ${JSON.stringify(payload)}`);
  } finally {
    await Promise.allSettled([producer.disconnect(), consumer.disconnect()]);
  }
}

async function main() {
  const t0 = Date.now();
  const log = (m) => say(m);
  const [pgRes, kafkaRes] = await Promise.allSettled([
    startPostgres().then((pg) => (say(`postgres ready at ${pg.url} (${secs(t0)})`), pg)),
    startKafka({ log }).then((k) => (say(`kafka ready at ${k.brokers} (${secs(t0)})`), k)),
  ]);
  const started = [pgRes, kafkaRes].filter((r) => r.status === 'fulfilled').map((r) => r.value);
  try {
    for (const r of [pgRes, kafkaRes]) if (r.status === 'rejected') throw r.reason;
    const t1 = Date.now();
    await checkPostgres(pgRes.value.url);
    say(`postgres select 1 ok (${secs(t1)})`);
    const t2 = Date.now();
    await checkKafka(kafkaRes.value.brokers);
    say(`kafka produce+consume ok (${secs(t2)})`);
  } finally {
    const t3 = Date.now();
    await Promise.allSettled(started.map((s) => s.stop()));
    say(`stopped (${secs(t3)})`);
  }
  console.log(`OK (${secs(t0)} total)`);
}

main().catch((e) => {
  say(`FAILED: ${e.stack || e.message}`);
  process.exit(1);
});
