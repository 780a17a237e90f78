'use strict';
// A real Apache Kafka broker (KRaft, combined broker+controller) from the Maven Central jars, for tests.
process.env.KAFKAJS_NO_PARTITIONER_WARNING = '1';

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawn, execFile } = require('node:child_process');
const { promisify } = require('node:util');
const { findOnPath, freePort, sleep } = require('./postgres');

const POM = path.join(__dirname, 'kafka', 'pom.xml');
const KAFKA_VERSION = /<kafka\.version>([^<]+)<\/kafka\.version>/.exec(fs.readFileSync(POM, 'utf8'))[1];
const READY_TIMEOUT_MS = 90_000;
// Async so that PostgreSQL can start alongside.
const run = (file, args, opts = {}) =>
  promisify(execFile)(file, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, ...opts });

function cacheRoot() {
  return process.env.MGOV_CACHE_DIR || path.join(os.homedir(), '.cache', 'mgov');
}

function findJava() {
  const fromHome = process.env.JAVA_HOME && path.join(process.env.JAVA_HOME, 'bin', 'java');
  if (fromHome && fs.existsSync(fromHome)) return fromHome;
  const java = findOnPath('java');
  if (!java) {
    throw new Error(
      'Java (17 or newer) was not found: no java on PATH and no JAVA_HOME.\n' +
        '  Install it: apt-get install -y openjdk-17-jdk-headless   (Debian/Ubuntu)\n' +
        '  or set JAVA_HOME / PATH to a JDK 17+, or set MGOV_KAFKA_BROKERS to an existing broker.',
    );
  }
  return java;
}

/** Make sure the broker jars are in the cache; returns the lib dir. Runs Maven only on a cold cache. */
async function ensureJars({ log = () => {} } = {}) {
  findJava();
  const base = path.join(cacheRoot(), `kafka-${KAFKA_VERSION}`);
  const lib = path.join(base, 'lib');
  const marker = path.join(base, '.complete');
  const cached =
    fs.existsSync(marker) && fs.existsSync(lib) && fs.readdirSync(lib).some((f) => f.startsWith('kafka_2.13-'));
  if (cached) return lib;

  const mvn = findOnPath('mvn');
  if (!mvn) {
    throw new Error(
      `Maven was not found on PATH; it is needed once to fetch the Kafka ${KAFKA_VERSION} jars into ${lib}.\n` +
        '  Install it: apt-get install -y maven   (Debian/Ubuntu)\n' +
        '  or set MGOV_KAFKA_BROKERS to an existing broker.',
    );
  }
  log(`fetching Kafka ${KAFKA_VERSION} jars with Maven into ${lib}`);
  fs.mkdirSync(base, { recursive: true });
  // Copy into a private staging dir and rename, so a concurrent or interrupted run never sees half a lib dir.
  const staging = fs.mkdtempSync(path.join(base, 'lib.tmp-'));
  try {
    const goal = 'dependency:copy-dependencies';
    await run(mvn, ['-B', '-q', '-Dstyle.color=never', '-f', POM, `-Dmgov.kafka.libDir=${staging}`, goal]);
  } catch (e) {
    fs.rmSync(staging, { recursive: true, force: true });
    const out = `${e.stdout || ''}${e.stderr || ''}`.trim().split('\n').slice(-40).join('\n');
    throw new Error(`Maven could not fetch the Kafka jars (${POM}):\n${out || e.message}`);
  }
  if (fs.existsSync(marker)) {
    // A concurrent run finished first; its lib dir may already be in use.
    fs.rmSync(staging, { recursive: true, force: true });
    return lib;
  }
  fs.rmSync(lib, { recursive: true, force: true });
  fs.renameSync(staging, lib);
  fs.writeFileSync(marker, `${fs.readdirSync(lib).sort().join('\n')}\n`);
  return lib;
}

function tail(file, lines = 40) {
  try {
    return fs.readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

/**
 * With `secure`, the broker listener takes SASL/SCRAM-SHA-512 only and an authorizer denies whatever
 * no ACL allows. `admin` is the super user; the controller listener stays local PLAINTEXT (its
 * ANONYMOUS principal is the node talking to itself, hence a super user too).
 */
function securityProperties(secure) {
  if (!secure) return [];
  const jaas = `org.apache.kafka.common.security.scram.ScramLoginModule required username="admin" password="${secure.adminPassword}";`;
  return [
    'listener.security.protocol.map=SASL_PLAINTEXT:SASL_PLAINTEXT,CONTROLLER:PLAINTEXT',
    'inter.broker.listener.name=SASL_PLAINTEXT',
    'sasl.enabled.mechanisms=SCRAM-SHA-512',
    'sasl.mechanism.inter.broker.protocol=SCRAM-SHA-512',
    `listener.name.sasl_plaintext.scram-sha-512.sasl.jaas.config=${jaas}`,
    'authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer',
    'super.users=User:admin;User:ANONYMOUS',
    'allow.everyone.if.no.acl.found=false',
  ];
}

function serverProperties({ dir, brokerPort, controllerPort, secure }) {
  const listener = secure ? 'SASL_PLAINTEXT' : 'PLAINTEXT';
  const plain = [
    'inter.broker.listener.name=PLAINTEXT',
    'listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT',
  ];
  return `${[
    'process.roles=broker,controller',
    'node.id=1',
    `controller.quorum.voters=1@127.0.0.1:${controllerPort}`,
    `listeners=${listener}://127.0.0.1:${brokerPort},CONTROLLER://127.0.0.1:${controllerPort}`,
    `advertised.listeners=${listener}://127.0.0.1:${brokerPort}`,
    'controller.listener.names=CONTROLLER',
    ...(secure ? securityProperties(secure) : plain),
    `log.dirs=${path.join(dir, 'data')}`,
    'num.partitions=1',
    'default.replication.factor=1',
    'min.insync.replicas=1',
    'offsets.topic.replication.factor=1',
    'offsets.topic.num.partitions=1',
    'transaction.state.log.replication.factor=1',
    'transaction.state.log.min.isr=1',
    'transaction.state.log.num.partitions=1',
    'group.initial.rebalance.delay.ms=0',
    'auto.create.topics.enable=true',
  ].join('\n')}\n`;
}

const LOG4J = `log4j.rootLogger=INFO, stdout
log4j.appender.stdout=org.apache.log4j.ConsoleAppender
log4j.appender.stdout.layout=org.apache.log4j.PatternLayout
log4j.appender.stdout.layout.ConversionPattern=[%d] %p %m (%c)%n
log4j.logger.kafka=INFO
log4j.logger.org.apache.kafka=INFO
`;

async function waitForBroker(brokers, child, logFile, secure) {
  const { Kafka, logLevel } = require('kafkajs');
  const kafka = new Kafka({
    clientId: 'mgov-infra',
    brokers: [brokers],
    ...(secure ? { sasl: { mechanism: 'scram-sha-512', username: 'admin', password: secure.adminPassword } } : {}),
    logLevel: logLevel.NOTHING,
    connectionTimeout: 2000,
    retry: { retries: 0 },
  });
  const deadline = Date.now() + READY_TIMEOUT_MS;
  let lastErr;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      const how = `code ${child.exitCode}, signal ${child.signalCode}`;
      throw new Error(`kafka exited during startup (${how}); log tail:\n${tail(logFile)}`);
    }
    const admin = kafka.admin();
    try {
      await admin.connect();
      const { brokers: found } = await admin.describeCluster();
      // Asking for a group makes the broker create __consumer_offsets now, so the first test consumer
      // does not hit "group coordinator is not available".
      if (found.length > 0) {
        await admin.describeGroups(['mgov-infra-warmup']);
        return;
      }
    } catch (e) {
      lastErr = e;
    } finally {
      await admin.disconnect().catch(() => {});
    }
    await sleep(250);
  }
  throw new Error(
    `kafka at ${brokers} not ready after ${READY_TIMEOUT_MS / 1000}s (${lastErr && lastErr.message}); ` +
      `log tail:\n${tail(logFile)}`,
  );
}

/**
 * Start a broker. Returns { brokers: '127.0.0.1:<port>', dir, stop() }. With
 * `secure: { adminPassword, users: [{ name, password }] }` it authenticates with SASL/SCRAM-SHA-512
 * (users created when the storage is formatted) and authorizes with ACLs; `admin` is the super user.
 */
async function startKafka({ log = () => {}, secure = null } = {}) {
  const java = findJava();
  const lib = await ensureJars({ log });
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnce(java, lib, secure);
    } catch (e) {
      // The free ports can be taken by someone else between probing and binding.
      if (attempt >= 3 || !/already in use/i.test(e.message)) throw e;
    }
  }
}

async function startOnce(java, lib, secure) {
  const cp = path.join(lib, '*');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mgov-kafka-'));
  const logFile = path.join(dir, 'kafka.log');
  const props = path.join(dir, 'server.properties');
  const log4j = path.join(dir, 'log4j.properties');
  let child = null;
  let stopped = false;

  const killSync = () => {
    if (child && child.exitCode === null && child.signalCode === null) {
      try {
        process.kill(child.pid, 'SIGKILL');
      } catch {}
    }
    fs.rmSync(dir, { recursive: true, force: true });
  };
  // Last resort for callers that exit without stop(): never leave a broker behind.
  process.on('exit', killSync);

  const stop = async () => {
    if (stopped) return;
    stopped = true;
    if (child && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    }
    process.removeListener('exit', killSync);
    fs.rmSync(dir, { recursive: true, force: true });
  };

  try {
    let brokerPort, controllerPort;
    do [brokerPort, controllerPort] = await Promise.all([freePort(), freePort()]);
    while (brokerPort === controllerPort);
    fs.writeFileSync(props, serverProperties({ dir, brokerPort, controllerPort, secure }));
    fs.writeFileSync(log4j, LOG4J);
    const jvm = [`-Dlog4j.configuration=file:${log4j}`, `-Dkafka.logs.dir=${dir}`, '-Djava.awt.headless=true'];
    const storage = async (args) => (await run(java, [...jvm, '-cp', cp, 'kafka.tools.StorageTool', ...args])).stdout;
    const clusterId = (await storage(['random-uuid'])).trim().split('\n').pop().trim();
    const scram = secure
      ? [{ name: 'admin', password: secure.adminPassword }, ...(secure.users || [])].flatMap((u) => ['--add-scram', `SCRAM-SHA-512=[name=${u.name},password=${u.password}]`])
      : [];
    await storage(['format', '-t', clusterId, '-c', props, ...scram]);

    const out = fs.openSync(logFile, 'a');
    child = spawn(
      java,
      ['-Xms256m', '-Xmx768m', '-XX:+UseG1GC', '-XX:MaxGCPauseMillis=20', ...jvm, '-cp', cp, 'kafka.Kafka', props],
      { cwd: dir, stdio: ['ignore', out, out] },
    );
    fs.closeSync(out);
    const brokers = `127.0.0.1:${brokerPort}`;
    await waitForBroker(brokers, child, logFile, secure);
    return { brokers, dir, stop };
  } catch (e) {
    const detail = e.stderr ? `\n${e.stderr}` : '';
    await stop();
    if (detail) e.message += detail;
    throw e;
  }
}

/** Create topics (ignoring ones that already exist) and wait until every partition has a leader. */
async function createTopics(brokers, topics, numPartitions = 1) {
  const { Kafka, logLevel } = require('kafkajs');
  const kafka = new Kafka({ clientId: 'mgov-infra-admin', brokers: brokers.split(','), logLevel: logLevel.WARN });
  const admin = kafka.admin();
  const specs = topics.map((t) => (typeof t === 'string' ? { topic: t, numPartitions, replicationFactor: 1 } : t));
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const missing = specs.filter((s) => !existing.has(s.topic));
    // kafkajs skips waitForLeaders when any topic already existed (e.g. a concurrent creator), hence the poll below.
    if (missing.length > 0) await admin.createTopics({ waitForLeaders: true, topics: missing });
    const names = specs.map((s) => s.topic);
    const deadline = Date.now() + 30_000;
    for (;;) {
      const meta = await admin.fetchTopicMetadata({ topics: names }).catch(() => null);
      if (meta && meta.topics.every((t) => t.partitions.length > 0 && t.partitions.every((p) => p.leader >= 0))) return;
      if (Date.now() > deadline) throw new Error(`topics ${names.join(', ')} have no leaders after 30s`);
      await sleep(100);
    }
  } finally {
    await admin.disconnect();
  }
}

module.exports = { startKafka, ensureJars, createTopics, KAFKA_VERSION };

if (require.main === module) {
  if (process.argv[2] === '--ensure-jars') {
    (async () => {
      const t0 = Date.now();
      const lib = await ensureJars({ log: (m) => process.stderr.write(`mgov-infra: ${m}\n`) });
      const took = ((Date.now() - t0) / 1000).toFixed(1);
      process.stderr.write(`mgov-infra: kafka ${KAFKA_VERSION} jars ready in ${lib} (${took}s)\n`);
    })().catch((e) => {
      process.stderr.write(`mgov-infra: ${e.message}\n`);
      process.exit(1);
    });
  } else {
    process.stderr.write('usage: node tools/infra/kafka.js --ensure-jars\n');
    process.exit(2);
  }
}
