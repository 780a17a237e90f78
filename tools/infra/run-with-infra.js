#!/usr/bin/env node
'use strict';
// Usage: node tools/infra/run-with-infra.js <command> [args...]
// Starts PostgreSQL and Kafka unless MGOV_DATABASE_URL / MGOV_KAFKA_BROKERS are already set, makes sure
// the Python packages of .ci/requirements.txt are in a cached venv (put first on PATH), runs the command
// with all of it, then stops the servers and exits with the command's exit code.
process.env.KAFKAJS_NO_PARTITIONER_WARNING = '1';
const path = require('node:path');
const os = require('node:os');
const { spawn } = require('node:child_process');
const { startPostgres } = require('./postgres');
const { startKafka } = require('./kafka');
const { ensurePythonVenv } = require('./python');

const say = (m) => process.stderr.write(`mgov-infra: ${m}\n`);
const secs = (t0) => `${((Date.now() - t0) / 1000).toFixed(1)}s`;
const repoRoot = path.resolve(__dirname, '..', '..');

async function main() {
  const [cmd, ...args] = process.argv.slice(2);
  if (!cmd) {
    say('usage: node tools/infra/run-with-infra.js <command> [args...]');
    return 2;
  }
  const env = { ...process.env };
  const running = [];
  let child = null;
  let signalled = null;
  let cleaning = null;
  const cleanup = () => (cleaning ??= Promise.allSettled(running.map((r) => r.stop())));

  // The child gets the signal from the terminal too; forwarding covers `kill <pid>` of this process alone.
  const onSignal = (sig) => {
    signalled ??= sig;
    if (child) child.kill(sig);
    else cleanup().then(() => process.exit(128 + os.constants.signals[sig]));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  const tasks = [];
  if (env.MGOV_DATABASE_URL) say(`using MGOV_DATABASE_URL from the environment`);
  else {
    const t0 = Date.now();
    tasks.push(
      startPostgres().then((pg) => {
        running.push(pg);
        env.MGOV_DATABASE_URL = pg.url;
        say(`postgres ready at ${pg.url} (${secs(t0)})`);
      }),
    );
  }
  if (env.MGOV_KAFKA_BROKERS) say(`using MGOV_KAFKA_BROKERS from the environment`);
  else {
    const t0 = Date.now();
    tasks.push(
      startKafka({ log: say }).then((k) => {
        running.push(k);
        env.MGOV_KAFKA_BROKERS = k.brokers;
        say(`kafka ready at ${k.brokers} (${secs(t0)})`);
      }),
    );
  }
  // The compatibility specs and benches run the real Python clients (mlflow, openlineage-python, scipy, moto).
  let pythonBin = null;
  {
    const t0 = Date.now();
    tasks.push(
      ensurePythonVenv({ log: say }).then((bin) => {
        pythonBin = bin;
        if (bin) say(`python packages ready in ${bin} (${secs(t0)})`);
      }),
    );
  }
  const failed = (await Promise.allSettled(tasks)).filter((r) => r.status === 'rejected');
  if (failed.length > 0 || signalled) {
    for (const f of failed) say(`failed to start: ${f.reason && f.reason.message}`);
    await cleanup();
    return signalled ? 128 + os.constants.signals[signalled] : 1;
  }

  env.PATH = [path.join(repoRoot, 'node_modules', '.bin'), pythonBin, env.PATH].filter(Boolean).join(path.delimiter);
  say(`running: ${[cmd, ...args].join(' ')}`);
  const code = await new Promise((resolve) => {
    child = spawn(cmd, args, { stdio: 'inherit', env });
    child.on('error', (e) => {
      say(`cannot run ${cmd}: ${e.message}`);
      resolve(127);
    });
    child.on('exit', (c, sig) => resolve(c ?? 128 + (os.constants.signals[sig] || 0)));
  });
  const t0 = Date.now();
  await cleanup();
  say(`stopped infrastructure (${secs(t0)})`);
  return code;
}

main().then(
  (code) => process.exit(code),
  (e) => {
    say(e.stack || e.message);
    process.exit(1);
  },
);
