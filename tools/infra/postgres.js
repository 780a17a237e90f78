'use strict';
// Throwaway PostgreSQL cluster for tests and benchmarks: initdb in a temp dir, free port, removed on stop().
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const net = require('node:net');
const { execFile, execFileSync, spawnSync } = require('node:child_process');
const { promisify } = require('node:util');

const PG_USER = 'mgovpg';
const INSTALL_HINT =
  'PostgreSQL server binaries (initdb, pg_ctl) were not found on PATH or under /usr/lib/postgresql/*/bin.\n' +
  '  Install them: apt-get install -y postgresql   (Debian/Ubuntu)\n' +
  '  or put the directory that holds initdb and pg_ctl on PATH,\n' +
  '  or set MGOV_DATABASE_URL to an existing server to skip starting one.';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function findOnPath(name) {
  for (const d of (process.env.PATH || '').split(path.delimiter)) {
    const f = path.join(d || '.', name);
    try {
      fs.accessSync(f, fs.constants.X_OK);
      return f;
    } catch {}
  }
  return null;
}

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer().unref();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

function findPgBin() {
  const onPath = findOnPath('initdb');
  if (onPath && fs.existsSync(path.join(path.dirname(onPath), 'pg_ctl'))) return path.dirname(onPath);
  const root = '/usr/lib/postgresql';
  const versions = fs.existsSync(root)
    ? fs.readdirSync(root).filter((v) => /^\d+$/.test(v)).sort((a, b) => Number(b) - Number(a))
    : [];
  for (const v of versions) {
    const bin = path.join(root, v, 'bin');
    if (fs.existsSync(path.join(bin, 'initdb')) && fs.existsSync(path.join(bin, 'pg_ctl'))) return bin;
  }
  throw new Error(INSTALL_HINT);
}

// initdb refuses to run as root, so as root the cluster belongs to an unprivileged system user.
function ensurePgUser() {
  const exists = () => spawnSync('id', ['-u', PG_USER], { stdio: 'ignore' }).status === 0;
  if (exists()) return;
  const r = spawnSync('useradd', ['--system', '--no-create-home', '--shell', '/usr/sbin/nologin', PG_USER], {
    encoding: 'utf8',
  });
  // A concurrent run may have created it meanwhile.
  if (r.status !== 0 && !exists()) {
    throw new Error(
      `Running as root: initdb needs an unprivileged user and "useradd ${PG_USER}" failed: ` +
        `${r.error ? r.error.message : r.stderr.trim()}.\n` +
        `  Run the tests as a non-root user, or create the user "${PG_USER}".`,
    );
  }
}

// Async so that starting Kafka alongside is not blocked; sync only for the process 'exit' hook.
function makeRunner(asRoot, cwd) {
  const argv = (bin, args) => (asRoot ? ['runuser', ['-u', PG_USER, '--', bin, ...args]] : [bin, args]);
  const run = (bin, args) => promisify(execFile)(...argv(bin, args), { cwd, encoding: 'utf8' });
  run.sync = (bin, args) =>
    execFileSync(...argv(bin, args), { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  return run;
}

function tail(file, lines = 30) {
  try {
    return fs.readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

/**
 * Start a cluster. Options: fsync (default false: data is thrown away anyway), database (default 'mgov').
 * Returns { url, port, dir, stop() }.
 */
async function startPostgres(options = {}) {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnce(options);
    } catch (e) {
      // The free port can be taken by someone else between probing and binding.
      if (attempt >= 3 || !/could not bind|already in use/i.test(e.message)) throw e;
    }
  }
}

async function startOnce({ fsync = false, database = 'mgov', maxConnections = 200 }) {
  const bin = findPgBin();
  const asRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (asRoot) ensurePgUser();
  // Under root the dir must be reachable by mgovpg, so use /tmp rather than a TMPDIR that may sit in /root.
  const dir = fs.mkdtempSync(path.join(asRoot ? '/tmp' : os.tmpdir(), 'mgov-pg-'));
  const dataDir = path.join(dir, 'data');
  const logFile = path.join(dir, 'postgres.log');
  if (asRoot) execFileSync('chown', [`${PG_USER}:`, dir]);
  fs.chmodSync(dir, 0o700);
  const run = makeRunner(asRoot, dir);
  const pgCtl = path.join(bin, 'pg_ctl');

  let started = false;
  let stopped = false;
  const stopArgs = ['-D', dataDir, '-m', 'immediate', '-w', '-t', '30', 'stop'];
  const stopSync = () => {
    if (stopped) return;
    stopped = true;
    if (started) {
      try {
        run.sync(pgCtl, stopArgs);
      } catch {}
    }
    fs.rmSync(dir, { recursive: true, force: true });
  };
  // Last resort for callers that exit without stop(): never leave a postmaster behind.
  process.on('exit', stopSync);
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    process.removeListener('exit', stopSync);
    if (started && fs.existsSync(path.join(dataDir, 'postmaster.pid'))) {
      await run(pgCtl, stopArgs).catch((e) => {
        process.stderr.write(`mgov-infra: pg_ctl stop failed: ${e.stderr || e.message}\n`);
      });
    }
    fs.rmSync(dir, { recursive: true, force: true });
  };

  try {
    await run(path.join(bin, 'initdb'), [
      '-D', dataDir, '--auth=trust', '-U', 'postgres', '--encoding=UTF8', '--locale=C',
      ...(fsync ? [] : ['--no-sync']),
    ]);
    const port = await freePort();
    const serverOpts = [
      '-c listen_addresses=127.0.0.1',
      `-c port=${port}`,
      `-c unix_socket_directories=${dir}`,
      `-c max_connections=${maxConnections}`,
      ...(fsync ? [] : ['-c fsync=off', '-c synchronous_commit=off', '-c full_page_writes=off']),
    ].join(' ');
    started = true;
    try {
      await run(pgCtl, ['-D', dataDir, '-l', logFile, '-o', serverOpts, '-w', '-t', '60', 'start']);
    } catch (e) {
      throw new Error(`postgres failed to start (${e.message.split('\n')[0]}); log tail:\n${tail(logFile)}`);
    }
    const url = `postgres://postgres@127.0.0.1:${port}/${database}`;
    await createDatabase(port, database);
    return { url, port, dir, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}

async function createDatabase(port, database) {
  const { Client } = require('pg');
  let lastErr;
  for (let i = 0; i < 50; i++) {
    const client = new Client({ host: '127.0.0.1', port, user: 'postgres', database: 'postgres' });
    try {
      await client.connect();
      if (database !== 'postgres') await client.query(`CREATE DATABASE "${database}"`);
      return;
    } catch (e) {
      lastErr = e;
      await sleep(200);
    } finally {
      await client.end().catch(() => {});
    }
  }
  throw new Error(`postgres on port ${port} did not accept connections: ${lastErr && lastErr.message}`);
}

module.exports = { startPostgres, findPgBin, findOnPath, freePort, sleep };
