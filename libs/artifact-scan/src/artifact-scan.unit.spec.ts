import { execFileSync } from 'node:child_process';
import { gzipSync } from 'node:zlib';
import { scanArtifact, scanPickle } from './index';
import {
  globalOsSystem, instBuiltinsEval, onnxOf, safeStateDict, safetensorsOf, stackGlobalViaMemo, tarGzOf, torchZipOf, unresolvableStackGlobal, zipOf,
} from './testing/malicious-fixtures';

const kinds = (scan: { findings: ReadonlyArray<{ kind: string }> }) => scan.findings.map((f) => f.kind);

describe('pickle scanner (opcode by opcode, never loaded)', () => {
  it('finds GLOBAL, INST and STACK_GLOBAL imports of code-running globals', () => {
    expect(scanPickle(globalOsSystem())).toMatchObject({ globals: ['os.system'], findings: [{ kind: 'dangerous-global' }] });
    expect(scanPickle(instBuiltinsEval())).toMatchObject({ globals: ['builtins.eval'], findings: [{ kind: 'dangerous-global' }] });
    for (const [module, name] of [['posix', 'system'], ['subprocess', 'Popen'], ['builtins', 'exec'], ['__builtin__', 'getattr'], ['socket', 'socket'], ['runpy', '_run_code'], ['nt', 'system']]) {
      const scan = scanPickle(stackGlobalViaMemo(module, name));
      expect(scan.globals).toEqual([`${module}.${name}`]);
      expect(kinds(scan)).toEqual(['dangerous-global']);
    }
  });

  it('follows STACK_GLOBAL operands through the memo (BINGET)', () => {
    const u = (s: string) => Buffer.concat([Buffer.from([0x8c, s.length]), Buffer.from(s)]);
    const bytes = Buffer.concat([Buffer.from([0x80, 4]), u('os'), Buffer.from([0x94, 0x30]), u('system'), Buffer.from([0x94, 0x30, 0x68, 0, 0x68, 1, 0x93, 0x4e, 0x2e])]);
    expect(scanPickle(bytes)).toMatchObject({ globals: ['os.system'], findings: [{ kind: 'dangerous-global' }] });
  });

  it('refuses what it cannot resolve or parse instead of guessing', () => {
    expect(kinds(scanPickle(unresolvableStackGlobal()))).toContain('unresolved-global');
    expect(kinds(scanPickle(Buffer.from([0x80, 2, 0xff])))).toEqual(['malformed']);
    expect(kinds(scanPickle(Buffer.from([0x80, 2, 0x58, 0xff, 0xff, 0, 0])))).toEqual(['malformed']);
    expect(kinds(scanPickle(Buffer.from([0x80, 2, 0x4e])))).toEqual(['malformed']);
  });

  it('passes a harmless state dict and extra policy-denied globals are refused', () => {
    expect(scanPickle(safeStateDict())).toEqual({ globals: ['collections.OrderedDict'], findings: [], end: safeStateDict().length });
    expect(kinds(scanPickle(safeStateDict(), '', ['collections']))).toEqual(['dangerous-global']);
  });

  it('reads what CPython writes at every protocol (pickle.dumps only; the test never unpickles)', () => {
    const script = [
      'import pickle, sys, collections',
      'class Evil:',
      '    def __reduce__(self):',
      '        import os',
      "        return (os.system, ('touch /tmp/mgov-pwned',))",
      "out = []",
      'for p in range(0, 6):',
      "    out.append(pickle.dumps(collections.OrderedDict(a=1.5, b=[1, 2, 'x']), protocol=p).hex())",
      '    out.append(pickle.dumps({"m": Evil()}, protocol=p).hex())',
      "sys.stdout.write(' '.join(out))",
    ].join('\n');
    const dumps = execFileSync('python3', ['-c', script]).toString().split(' ').map((hex) => Buffer.from(hex, 'hex'));
    expect(dumps).toHaveLength(12);
    dumps.forEach((bytes, i) => {
      const scan = scanPickle(bytes);
      if (i % 2 === 0) expect(scan).toMatchObject({ globals: ['collections.OrderedDict'], findings: [] });
      else expect(scan.findings.map((f) => f.detail).join()).toMatch(/(posix|os)\.system/);
    });
  });
});

describe('joblib files as joblib.dump writes them (numpy arrays inline; nothing is ever loaded)', () => {
  it('skips raw array bytes by the size the wrapper declares, and scans object arrays\' nested pickles', () => {
    const script = [
      'import io, os, sys, joblib, numpy as np',
      'class Evil:',
      '    def __reduce__(self):',
      "        return (os.system, ('touch /tmp/mgov-pwned',))",
      'def dumped(value, **kw):',
      '    f = io.BytesIO(); joblib.dump(value, f, **kw); return f.getvalue().hex()',
      'safe = {"w": np.arange(12, dtype="float64").reshape(3, 4), "i": np.array([1, 2, 3], dtype="<i4"), "s": np.array(["ab", "cde"]), "b": np.array([True, False])}',
      'out = [dumped(safe), dumped(safe, compress=3), dumped({"w": np.array([Evil()], dtype=object)}), dumped(Evil())]',
      "sys.stdout.write(' '.join(out))",
    ].join('\n');
    const [plain, compressed, objectArray, direct] = execFileSync('python3', ['-c', script]).toString().split(' ').map((hex) => Buffer.from(hex, 'hex'));
    for (const safe of [plain!, compressed!]) {
      expect(scanArtifact(safe, 'model.joblib')).toMatchObject({ format: 'joblib', findings: [], globals: expect.arrayContaining(['joblib.numpy_pickle.NumpyArrayWrapper', 'numpy.dtype']) });
    }
    expect(scanArtifact(objectArray!, 'model.joblib').findings.map((f) => f.detail).join()).toMatch(/(posix|os)\.system/);
    expect(kinds(scanArtifact(direct!, 'model.joblib'))).toEqual(['dangerous-global']);
  });

  it('refuses a wrapper whose array size cannot be known, or that claims bytes past the end', () => {
    const u = (s: string) => Buffer.concat([Buffer.from([0x8c, s.length]), Buffer.from(s)]);
    const wrapper = (shape: number, extra = Buffer.alloc(0)) => Buffer.concat([
      Buffer.from([0x80, 4]), u('joblib.numpy_pickle'), u('NumpyArrayWrapper'), Buffer.from([0x93, 0x29, 0x81]),
      Buffer.from([0x7d, 0x28]), u('shape'), Buffer.from([0x4b, shape, 0x85]), u('dtype'), u('numpy'), u('dtype'), Buffer.from([0x93]), u('f8'), Buffer.from([0x85, 0x52]),
      Buffer.from([0x75, 0x62]), extra, Buffer.from('.', 'latin1'),
    ]);
    expect(scanPickle(wrapper(1, Buffer.alloc(8)))).toMatchObject({ findings: [] });
    expect(kinds(scanPickle(wrapper(200, Buffer.alloc(8))))).toEqual(['malformed']);
  });
});

describe('artifact scanner', () => {
  it('recognises safe formats', () => {
    expect(scanArtifact(safetensorsOf(), 'model.safetensors')).toMatchObject({ format: 'safetensors', findings: [] });
    expect(scanArtifact(onnxOf(), 'model.onnx')).toMatchObject({ format: 'onnx', findings: [] });
    expect(scanArtifact(safeStateDict(), 'model.pkl')).toMatchObject({ format: 'pickle', findings: [] });
    expect(scanArtifact(gzipSync(safeStateDict()), 'model.joblib')).toMatchObject({ format: 'joblib', findings: [] });
    expect(scanArtifact(torchZipOf(safeStateDict()), 'model.pt')).toMatchObject({ format: 'pytorch', findings: [], globals: ['collections.OrderedDict'] });
    expect(scanArtifact(Buffer.from('hello'), 'notes.txt')).toMatchObject({ format: 'unknown', findings: [] });
  });

  it('scans every pickle member of a PyTorch zip and a compressed joblib', () => {
    const torch = scanArtifact(torchZipOf(stackGlobalViaMemo()), 'model.pt');
    expect(torch).toMatchObject({ format: 'pytorch', findings: [{ kind: 'dangerous-global', member: 'archive/data.pkl' }] });
    expect(scanArtifact(gzipSync(globalOsSystem()), 'model.joblib')).toMatchObject({ format: 'joblib', findings: [{ kind: 'dangerous-global' }] });
    const nested = zipOf([{ name: 'weights/extra.pkl', content: instBuiltinsEval(), deflate: true }, { name: 'archive/data.pkl', content: safeStateDict() }]);
    expect(kinds(scanArtifact(nested, 'model.pt'))).toEqual(['dangerous-global']);
  });

  it('finds traversal, absolute paths, links and bombs in archives', () => {
    const evilZip = zipOf([
      { name: '../../etc/cron.d/x', content: Buffer.from('x') }, { name: '/etc/passwd', content: Buffer.from('x') },
      { name: 'C:\\Windows\\x', content: Buffer.from('x') }, { name: 'link', content: Buffer.from('/etc/shadow'), symlink: true },
    ]);
    expect(kinds(scanArtifact(evilZip, 'model.zip')).sort()).toEqual(['absolute-path', 'absolute-path', 'path-traversal', 'symlink']);
    const bomb = zipOf([{ name: 'zeros.bin', content: Buffer.alloc(4 * 1024 * 1024), deflate: true }]);
    expect(kinds(scanArtifact(bomb, 'model.zip'))).toEqual(['ratio-bomb']);
    const liar = zipOf([{ name: 'zeros.bin', content: Buffer.alloc(20_000, 7), deflate: false, declaredBytes: 10 }]);
    expect(kinds(scanArtifact(liar, 'model.zip', { maxUncompressedBytes: 1024 * 1024, maxCompressionRatio: 5000, deniedGlobals: [] }))).toEqual(['size-bomb']);
    expect(kinds(scanArtifact(bomb, 'model.zip', { maxUncompressedBytes: 1024, maxCompressionRatio: 1e9, deniedGlobals: [] }))).toEqual(['size-bomb']);
    expect(kinds(scanArtifact(gzipSync(Buffer.alloc(8 * 1024 * 1024)), 'model.joblib'))).toEqual(['ratio-bomb']);
    const tar = tarGzOf([{ name: '../escape.txt', content: Buffer.from('x') }, { name: 'model/link', type: '2', link: '/etc/passwd' }, { name: 'model/m.pkl', content: globalOsSystem() }]);
    expect(scanArtifact(tar, 'bundle.tar.gz')).toMatchObject({ format: 'tar' });
    expect(kinds(scanArtifact(tar, 'bundle.tar.gz')).sort()).toEqual(['dangerous-global', 'path-traversal', 'symlink']);
  });

  it('finds Keras Lambda layers (Python code in the config) in a .keras archive', () => {
    const keras = (layers: unknown[]) => zipOf([
      { name: 'metadata.json', content: Buffer.from('{"keras_version": "3.6.0"}') },
      { name: 'config.json', content: Buffer.from(JSON.stringify({ class_name: 'Sequential', config: { layers } })) },
      { name: 'model.weights.h5', content: Buffer.alloc(32) },
    ]);
    expect(scanArtifact(keras([{ class_name: 'Dense', config: { name: 'dense' } }]), 'model.keras')).toMatchObject({ format: 'keras', findings: [] });
    const lambda = scanArtifact(keras([{ class_name: 'Lambda', config: { name: 'evil', function: { class_name: '__lambda__', config: { code: '4wEAAAAAAAAA' } } } }]), 'model.keras');
    expect(lambda.findings).toEqual([expect.objectContaining({ kind: 'code-in-config', member: 'config.json', detail: expect.stringContaining('evil') })]);
  });

  it('reports a corrupt archive as malformed', () => {
    const zip = zipOf([{ name: 'a.pkl', content: safeStateDict() }]);
    expect(kinds(scanArtifact(zip.subarray(0, zip.length - 30), 'model.zip'))).toEqual(['malformed']);
  });
});
