// Runs TypeScript sources directly (services, demo, benchmarks) and resolves the
// workspace's `@mgov/*` path aliases from tsconfig.base.json, so no build step is needed.
const path = require('node:path');
const Module = require('node:module');
const root = path.resolve(__dirname, '..');
const { compilerOptions } = require(path.join(root, 'tsconfig.base.json'));
const aliases = Object.fromEntries(
  Object.entries(compilerOptions.paths).map(([alias, [target]]) => [alias, path.join(root, target)]),
);
const resolve = Module._resolveFilename;
Module._resolveFilename = function resolveWorkspaceAlias(request, ...rest) {
  return resolve.call(this, aliases[request] ?? request, ...rest);
};
process.env.SWC_NODE_PROJECT ??= path.join(root, 'tsconfig.base.json');
require('@swc-node/register');
