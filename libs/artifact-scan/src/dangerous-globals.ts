/** Modules whose every callable can reach the OS, the network or the interpreter itself. */
const DANGEROUS_MODULES = new Set([
  'os', 'posix', 'nt', 'posixpath', 'ntpath', 'subprocess', 'socket', 'sys', 'shutil', 'importlib', 'runpy', 'pty', 'commands',
  'webbrowser', 'http', 'httplib', 'urllib', 'urllib2', 'requests', 'ctypes', 'multiprocessing', 'code', 'codeop', 'pdb',
  'asyncio', 'marshal', 'pickle', '_pickle', 'cPickle', 'dill', 'bdb', 'timeit', 'profile', 'cProfile', 'trace', 'pip', 'setuptools',
  'signal', 'tempfile', 'glob', 'pathlib', 'io', '_io', 'fcntl', 'resource', 'platform', 'smtplib', 'ftplib', 'telnetlib', 'ssl',
]);

/** Names that are dangerous in otherwise harmless modules. */
const DANGEROUS_NAMES: Readonly<Record<string, readonly string[]>> = {
  builtins: ['eval', 'exec', 'execfile', 'compile', '__import__', 'getattr', 'setattr', 'delattr', 'open', 'input', 'globals', 'locals', 'vars', 'breakpoint', 'help', 'exit', 'quit', 'memoryview'],
  __builtin__: ['eval', 'exec', 'execfile', 'compile', '__import__', 'getattr', 'setattr', 'delattr', 'open', 'input', 'globals', 'locals', 'vars', 'apply', 'file', 'reload'],
  operator: ['attrgetter', 'methodcaller'],
  functools: ['partial', 'reduce'],
  types: ['FunctionType', 'CodeType', 'LambdaType', 'MethodType'],
  numpy: ['load', 'fromfile'],
  'torch.serialization': ['load'],
  'torch._inductor.codecache': ['compile_file'],
};

/** True when importing `module.name` from a pickle could run arbitrary code. */
export function isDangerousGlobal(module: string, name: string, extra: readonly string[] = []): boolean {
  const root = module.split('.')[0]!;
  if (DANGEROUS_MODULES.has(root)) return true;
  if (DANGEROUS_NAMES[module]?.includes(name)) return true;
  return extra.some((entry) => entry === module || entry === `${module}.${name}` || module.startsWith(`${entry}.`));
}
