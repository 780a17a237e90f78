// TypeScript compiled ahead of time (tools/build.js) and looked up at load (tools/register.js).
// Loading @swc-node/register at every start cost ~80 MB of RSS per process and again per worker
// thread (it loads the TypeScript compiler for its settings, and swc's native binding); the
// compiled files cost nothing to keep. swc is loaded only for a file not compiled yet, or changed.
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
/** MGOV_COMPILED_DIR moves it (the specs of this loader use a directory of their own). */
const outDir = path.resolve(process.env.MGOV_COMPILED_DIR ?? path.join(root, 'dist', 'compiled'));
/** Ends every compiled file: the hash of the source it was compiled from (and how), so a changed source is never run stale. */
const SOURCE_MARK = '\n//# mgovSource=';

/**
 * What else decides the compiled code: the compiler settings and swc's version (a changed tsconfig
 * or an upgraded swc compiles again, rather than run what the old ones made), and this format's.
 */
function settingsOf() {
  const read = (file) => {
    try {
      return fs.readFileSync(path.join(root, file), 'utf8');
    } catch {
      return '';
    }
  };
  return `mgov-compiled-1\n${read('tsconfig.base.json')}\n${read('node_modules/@swc/core/package.json')}\n${read('node_modules/@swc-node/core/package.json')}`;
}
const settings = settingsOf();

/** The hash of a source with the settings it is compiled under. */
const hashOf = (source) => crypto.createHash('sha1').update(settings).update('\0').update(source).digest('hex');
/** Where a source's compiled code is kept; undefined outside the workspace (compiled in memory at every start). */
function compiledPathOf(file) {
  const relative = path.relative(root, file);
  if (relative.startsWith('..') || path.isAbsolute(relative) || relative.split(path.sep).includes('node_modules')) return undefined;
  return path.join(outDir, `${relative}.js`);
}

let swc;
/** swc with the workspace's tsconfig, exactly as @swc-node/register compiles (decorators, metadata, CommonJS). */
function transpile(source, file) {
  if (swc === undefined) {
    process.env.SWC_NODE_PROJECT ??= path.join(root, 'tsconfig.base.json');
    const { readDefaultTsConfig, tsCompilerOptionsToSwcConfig } = require('@swc-node/register/read-default-tsconfig');
    const ts = require('typescript');
    const options = { ...readDefaultTsConfig(), module: ts.ModuleKind.CommonJS, sourceMap: true, inlineSourceMap: false };
    swc = { core: require('@swc-node/core'), options, configOf: tsCompilerOptionsToSwcConfig };
  }
  return swc.core.transformSync(source, file, swc.configOf(swc.options, file));
}

/** Writes a file whole or not at all (another process may read or write the same one meanwhile). */
function writeAtomically(file, content) {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.${crypto.randomBytes(4).toString('hex')}`;
  fs.writeFileSync(temporary, content);
  fs.renameSync(temporary, file);
}

/** The compiled code of a source, if compiled from exactly this source. */
function compiledOf(file, source) {
  const target = compiledPathOf(file);
  if (target === undefined) return undefined;
  let code;
  try {
    code = fs.readFileSync(target, 'utf8');
  } catch {
    return undefined;
  }
  const mark = code.lastIndexOf(SOURCE_MARK);
  return mark >= 0 && code.slice(mark + SOURCE_MARK.length).trim() === hashOf(source) ? code.slice(0, mark) : undefined;
}

/**
 * Compiles a source and keeps the result (when the directory is writable: a read-only image just
 * compiles in memory).
 */
function compile(file, source) {
  const { code, map } = transpile(source, file);
  const target = compiledPathOf(file);
  if (target === undefined) return { code: inlineMap(code, map), map: undefined };
  try {
    if (map) writeAtomically(`${target}.map`, map);
    writeAtomically(target, `${code}${SOURCE_MARK}${hashOf(source)}\n`);
  } catch {
    // Not writable (a read-only image): compiled again at the next start, its map kept inline meanwhile.
    return { code: inlineMap(code, map), map: undefined };
  }
  return { code, map: `${target}.map` };
}

const inlineMap = (code, map) => (map ? `${code}\n//# sourceMappingURL=data:application/json;base64,${Buffer.from(map).toString('base64')}` : code);

/** A source's code, compiled ahead or now, with the file its source map is in (none when the map is inline). */
function load(file, source) {
  const code = compiledOf(file, source);
  return code !== undefined ? { code, map: `${compiledPathOf(file)}.map` } : compile(file, source);
}

module.exports = { root, compiledOf, compile, load };
