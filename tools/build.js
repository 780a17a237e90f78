#!/usr/bin/env node
// Compiles every TypeScript source that runs (not specs, not declarations) into dist/compiled,
// where tools/register.js finds it: starts then load no compiler. Unchanged sources are skipped.
// `node tools/build.js --check` compiles nothing and exits 1 if a source has no current build.
const fs = require('node:fs');
const path = require('node:path');
const { root, compiledOf, compile } = require('./compiled-ts');

const SOURCE_DIRS = ['libs', 'services', 'tools', 'benchmarks', 'deploy'];
const runs = (file) => file.endsWith('.ts') && !file.endsWith('.d.ts') && !/\.spec\.ts$/.test(file);

function sources() {
  return SOURCE_DIRS.flatMap((dir) => {
    const base = path.join(root, dir);
    if (!fs.existsSync(base)) return [];
    return fs.readdirSync(base, { recursive: true })
      .filter((entry) => !entry.split(path.sep).includes('node_modules') && runs(entry))
      .map((entry) => path.join(base, entry));
  });
}

function main() {
  const check = process.argv.includes('--check');
  const started = Date.now();
  let compiled = 0;
  let stale = 0;
  const all = sources();
  for (const file of all) {
    const source = fs.readFileSync(file, 'utf8');
    if (compiledOf(file, source) !== undefined) continue;
    if (check) {
      stale += 1;
      console.error(`not compiled: ${path.relative(root, file)}`);
      continue;
    }
    compile(file, source);
    compiled += 1;
  }
  if (check) {
    console.error(`${all.length - stale} of ${all.length} sources compiled and current`);
    process.exit(stale === 0 ? 0 : 1);
  }
  console.error(`compiled ${compiled} of ${all.length} TypeScript sources into dist/compiled (${Date.now() - started} ms; the rest were current)`);
}

main();
