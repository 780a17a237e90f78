// Runs TypeScript sources directly (services, demo, benchmarks, the CLI) and resolves the
// workspace's `@mgov/*` path aliases from tsconfig.base.json, so no build step is needed.
// A source runs as compiled by tools/build.js (or by an earlier start) when it has not changed
// since; otherwise it is compiled here, with swc, and kept for the next start (tools/compiled-ts.js).
const fs = require('node:fs');
const path = require('node:path');
const Module = require('node:module');
const { root, load } = require('./compiled-ts');

const { compilerOptions } = require(path.join(root, 'tsconfig.base.json'));
const aliases = Object.fromEntries(
  Object.entries(compilerOptions.paths).map(([alias, [target]]) => [alias, path.join(root, target)]),
);
const resolve = Module._resolveFilename;
Module._resolveFilename = function resolveWorkspaceAlias(request, ...rest) {
  return resolve.call(this, aliases[request] ?? request, ...rest);
};

// Stack traces point into the TypeScript sources (node reads a module's map when it loads it).
process.setSourceMapsEnabled(true);

Module._extensions['.ts'] = function loadTypeScript(module, file) {
  const source = fs.readFileSync(file, 'utf8');
  const { code, map } = load(file, source);
  if (map === undefined) return module._compile(code, file);
  // The module keeps the source's name (its __dirname, its stack frames); its map lies beside the
  // compiled file, named relative to the source (node reads a map from a relative URL only).
  const url = path.relative(path.dirname(file), map).split(path.sep).join('/');
  module._compile(`${code}\n//# sourceMappingURL=${url}\n`, file);
};
