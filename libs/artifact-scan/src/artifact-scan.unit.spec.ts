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

  it('reports a corrupt archive as malformed', () => {
    const zip = zipOf([{ name: 'a.pkl', content: safeStateDict() }]);
    expect(kinds(scanArtifact(zip.subarray(0, zip.length - 30), 'model.zip'))).toEqual(['malformed']);
  });
});
