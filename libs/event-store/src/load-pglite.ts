import { Module } from 'node:module';

export type PgliteModule = typeof import('@electric-sql/pglite');

type NodeModuleLoader = { _load(request: string, parent: unknown, isMain: boolean): unknown };

/**
 * PGlite's emscripten loader calls `import()`, which jest's VM sandbox only allows under
 * --experimental-vm-modules. Loading the package with Node's own loader (jest keeps its
 * `Module._load`) lets the embedded adapter start in every runner; in a plain Node process this
 * is exactly what `require` does.
 */
export function loadPglite(): PgliteModule {
  const entry = require.resolve('@electric-sql/pglite');
  return (Module as unknown as NodeModuleLoader)._load(entry, null, false) as PgliteModule;
}
