'use strict';
// The Python packages the compatibility specs run (the real mlflow, openlineage-python, scipy, moto
// clients): a venv in the cache, installed from .ci/requirements.txt and reinstalled when that changes.
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const crypto = require('node:crypto');
const { execFile } = require('node:child_process');
const { promisify } = require('node:util');
const { findOnPath } = require('./postgres');

const REQUIREMENTS = path.join(__dirname, '..', '..', '.ci', 'requirements.txt');
const run = (file, args) => promisify(execFile)(file, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });

function cacheRoot() {
  return process.env.MGOV_CACHE_DIR || path.join(os.homedir(), '.cache', 'mgov');
}

/** The venv's bin directory, ready; null when there are no requirements. Installs only when they changed. */
async function ensurePythonVenv({ log = () => {} } = {}) {
  if (!fs.existsSync(REQUIREMENTS)) return null;
  const requirements = fs.readFileSync(REQUIREMENTS, 'utf8');
  if (!requirements.split('\n').some((line) => line.trim() && !line.trim().startsWith('#'))) return null;
  const venv = path.join(cacheRoot(), 'ci-venv');
  const bin = path.join(venv, 'bin');
  const marker = path.join(venv, '.requirements-sha256');
  const wanted = crypto.createHash('sha256').update(requirements).digest('hex');
  if (fs.existsSync(marker) && fs.readFileSync(marker, 'utf8').trim() === wanted) return bin;

  const python = findOnPath('python3');
  if (!python) {
    throw new Error('python3 was not found: the compatibility specs run the real Python clients.\n'
      + '  Install it: apt-get install -y python3 python3-venv   (Debian/Ubuntu)');
  }
  const t0 = Date.now();
  log(`installing the Python packages of .ci/requirements.txt into ${venv} (once; again when the file changes)`);
  try {
    if (!fs.existsSync(path.join(bin, 'python'))) await run(python, ['-m', 'venv', venv]);
    await run(path.join(bin, 'python'), ['-m', 'pip', 'install', '-q', '--disable-pip-version-check', '-r', REQUIREMENTS]);
  } catch (e) {
    const out = `${e.stdout || ''}${e.stderr || ''}`.trim().split('\n').slice(-20).join('\n');
    throw new Error(`could not install .ci/requirements.txt into ${venv} (is python3-venv installed?):\n${out || e.message}`);
  }
  fs.writeFileSync(marker, `${wanted}\n`);
  log(`Python packages ready (${((Date.now() - t0) / 1000).toFixed(1)}s)`);
  return bin;
}

module.exports = { ensurePythonVenv };

if (require.main === module) {
  ensurePythonVenv({ log: (m) => process.stderr.write(`mgov-infra: ${m}\n`) }).then(
    (bin) => process.stdout.write(`${bin || ''}\n`),
    (e) => {
      process.stderr.write(`mgov-infra: ${e.message}\n`);
      process.exit(1);
    },
  );
}
