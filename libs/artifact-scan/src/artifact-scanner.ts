import { gunzipSync, inflateSync } from 'node:zlib';
import { type ArchiveEntry, pathFindings } from './archive-entry';
import { scanPickle } from './pickle-scanner';
import { type ArtifactFormat, type ArtifactScan, DEFAULT_SCAN_LIMITS, type ScanFinding, type ScanLimits, type ScannedMember } from './scan-report';
import { isTar, tarEntries } from './tar-archive';
import { ArchiveError, zipEntries } from './zip-archive';

const PICKLE_NAME = /\.(pkl|pickle|joblib|pt|pth|bin|sav)$/i;
const isZip = (b: Buffer) => b.length >= 4 && b.readUInt32LE(0) === 0x04034b50;
const isGzip = (b: Buffer) => b.length >= 2 && b[0] === 0x1f && b[1] === 0x8b;
const isZlib = (b: Buffer) => b.length >= 2 && b[0] === 0x78 && [0x01, 0x5e, 0x9c, 0xda].includes(b[1]!);
const looksLikePickle = (b: Buffer) => b.length >= 2 && b[0] === 0x80 && b[1]! >= 2 && b[1]! <= 5;

function isSafetensors(b: Buffer): boolean {
  if (b.length < 10) return false;
  const headerBytes = b.readBigUInt64LE(0);
  if (headerBytes > BigInt(b.length - 8) || b[8] !== 0x7b) return false;
  try {
    const header = JSON.parse(b.subarray(8, 8 + Number(headerBytes)).toString('utf8')) as Record<string, { data_offsets?: [number, number] }>;
    const dataBytes = b.length - 8 - Number(headerBytes);
    return Object.entries(header).every(([key, t]) => key === '__metadata__' || (Array.isArray(t.data_offsets) && t.data_offsets[1]! <= dataBytes));
  } catch {
    return false;
  }
}

/** ONNX is a protobuf ModelProto; field 1 (ir_version, a varint) comes first in every exporter's output. */
const isOnnx = (b: Buffer, name: string) => /\.onnx$/i.test(name) && b.length > 2 && b[0] === 0x08;

function archiveFormat(entries: readonly ArchiveEntry[], zip: boolean): ArtifactFormat {
  if (!zip) return 'tar';
  if (entries.some((e) => /(^|\/)data\.pkl$/.test(e.name))) return 'pytorch';
  if (entries.some((e) => e.name === 'config.json') && entries.some((e) => /\.weights\.h5$/.test(e.name))) return 'keras';
  return 'zip';
}

/** Keras Lambda layers carry Python bytecode in the model config: loading them runs it. */
function kerasConfigFindings(name: string, content: Buffer): ScanFinding[] {
  let config: unknown;
  try {
    config = JSON.parse(content.toString('utf8'));
  } catch {
    return [{ kind: 'malformed', member: name, detail: 'the Keras config is not valid JSON' }];
  }
  const findings: ScanFinding[] = [];
  const walk = (node: unknown, depth: number): void => {
    if (depth > 64 || node === null || typeof node !== 'object') return;
    if (Array.isArray(node)) return node.forEach((item) => walk(item, depth + 1));
    const record = node as Record<string, unknown>;
    if (record.class_name === 'Lambda') {
      const layer = (record.config as { name?: string } | undefined)?.name ?? '?';
      findings.push({ kind: 'code-in-config', member: name, detail: `Keras Lambda layer ${layer} carries Python code that runs when the model is loaded` });
    }
    Object.values(record).forEach((value) => walk(value, depth + 1));
  };
  walk(config, 0);
  return findings;
}

function scanArchive(entries: readonly ArchiveEntry[], limits: ScanLimits, findings: ScanFinding[], globals: Set<string>, members: ScannedMember[]): void {
  let declaredTotal = 0;
  for (const entry of entries) {
    findings.push(...pathFindings(entry.name));
    if (entry.symlink) findings.push({ kind: 'symlink', member: entry.name, detail: `member ${JSON.stringify(entry.name)} is a link; extracting it could point outside the target` });
    declaredTotal += entry.declaredBytes;
    if (entry.compressedBytes > 0 && entry.declaredBytes / entry.compressedBytes > limits.maxCompressionRatio) {
      findings.push({ kind: 'ratio-bomb', member: entry.name, detail: `member expands ${Math.round(entry.declaredBytes / entry.compressedBytes)}x (limit ${limits.maxCompressionRatio}x)` });
    }
  }
  if (declaredTotal > limits.maxUncompressedBytes) {
    findings.push({ kind: 'size-bomb', member: '', detail: `members declare ${declaredTotal} bytes uncompressed (limit ${limits.maxUncompressedBytes})` });
  }
  if (findings.some((f) => f.kind === 'size-bomb' || f.kind === 'ratio-bomb')) return;
  for (const entry of entries) {
    if (entry.directory || entry.symlink) continue;
    const content = entry.read(limits.maxUncompressedBytes);
    if (content.length > limits.maxUncompressedBytes || content.length > entry.declaredBytes) {
      findings.push({ kind: 'size-bomb', member: entry.name, detail: `member inflates past its declared ${entry.declaredBytes} bytes` });
      continue;
    }
    const pickle = PICKLE_NAME.test(entry.name) && !/\/data\/\d+$/.test(entry.name) ? true : /(^|\/)[^/]*\.pkl$/.test(entry.name) || looksLikePickle(content);
    members.push({ name: entry.name, bytes: content.length, pickle });
    if (/(^|\/)config\.json$/.test(entry.name) && entries.some((e) => /\.weights\.h5$/.test(e.name))) findings.push(...kerasConfigFindings(entry.name, content));
    if (pickle) {
      const scan = scanPickle(content, entry.name, limits.deniedGlobals);
      scan.globals.forEach((g) => globals.add(g));
      findings.push(...scan.findings);
    }
  }
}

function decompressed(bytes: Buffer, limits: ScanLimits, findings: ScanFinding[]): Buffer | null {
  try {
    const out = isGzip(bytes) ? gunzipSync(bytes, { maxOutputLength: limits.maxUncompressedBytes }) : inflateSync(bytes, { maxOutputLength: limits.maxUncompressedBytes });
    if (out.length / Math.max(1, bytes.length) > limits.maxCompressionRatio) {
      findings.push({ kind: 'ratio-bomb', member: '', detail: `the artifact expands ${Math.round(out.length / bytes.length)}x (limit ${limits.maxCompressionRatio}x)` });
      return null;
    }
    return out;
  } catch (error) {
    const tooBig = (error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE' || /larger than|maxOutputLength/i.test((error as Error).message);
    findings.push(tooBig
      ? { kind: 'size-bomb', member: '', detail: `the artifact decompresses past ${limits.maxUncompressedBytes} bytes` }
      : { kind: 'malformed', member: '', detail: `the compressed artifact cannot be read: ${(error as Error).message}` });
    return null;
  }
}

/**
 * Scans a model artifact's bytes without loading them: recognises the format, walks every pickle (plain,
 * joblib, inside PyTorch zips and tar bundles) opcode by opcode, and checks archives for traversal,
 * absolute paths, links and size or ratio bombs. `name` is the artifact's path on the run.
 */
export function scanArtifact(bytes: Buffer, name: string, limits: ScanLimits = DEFAULT_SCAN_LIMITS): ArtifactScan {
  const findings: ScanFinding[] = [];
  const globals = new Set<string>();
  const members: ScannedMember[] = [];
  let format: ArtifactFormat = 'unknown';
  let body = bytes;
  if (isGzip(body) || isZlib(body)) {
    const inflated = decompressed(body, limits, findings);
    if (!inflated) return { format: /\.joblib$/i.test(name) ? 'joblib' : 'unknown', bytes: bytes.length, globals: [], members, findings };
    body = inflated;
    if (!isTar(body)) format = 'joblib';
  }
  try {
    if (isZip(body) || isTar(body)) {
      const zip = isZip(body);
      const entries = zip ? zipEntries(body) : tarEntries(body);
      format = archiveFormat(entries, zip);
      scanArchive(entries, limits, findings, globals, members);
    } else if (isSafetensors(body)) {
      format = 'safetensors';
    } else if (isOnnx(body, name)) {
      format = 'onnx';
    } else if (looksLikePickle(body) || PICKLE_NAME.test(name) || format === 'joblib') {
      format = format === 'joblib' || /\.joblib$/i.test(name) ? 'joblib' : /\.(pt|pth)$/i.test(name) ? 'pytorch' : 'pickle';
      const scan = scanPickle(body, '', limits.deniedGlobals);
      scan.globals.forEach((g) => globals.add(g));
      findings.push(...scan.findings);
    }
  } catch (error) {
    if (!(error instanceof ArchiveError) && !(error instanceof RangeError)) throw error;
    findings.push({ kind: error instanceof ArchiveError && /zip64|method|encrypted/.test(error.message) ? 'unsupported-archive' : 'malformed', member: '', detail: error.message });
  }
  return { format, bytes: bytes.length, globals: [...globals].sort(), members, findings };
}
