import type { ScanFinding } from './scan-report';

/** One member of an archive, as its directory declares it; `read` inflates it within a byte limit. */
export interface ArchiveEntry {
  readonly name: string;
  readonly declaredBytes: number;
  readonly compressedBytes: number;
  readonly symlink: boolean;
  readonly directory: boolean;
  read(maxBytes: number): Buffer;
}

/** Path findings for a member name: `..` segments, absolute paths (POSIX, Windows drive, UNC). */
export function pathFindings(name: string): ScanFinding[] {
  const findings: ScanFinding[] = [];
  const normalized = name.replace(/\\/g, '/');
  if (normalized.startsWith('/') || /^[A-Za-z]:/.test(normalized)) {
    findings.push({ kind: 'absolute-path', member: name, detail: `member ${JSON.stringify(name)} has an absolute path; extracting it would write outside the target` });
  }
  if (normalized.split('/').includes('..')) {
    findings.push({ kind: 'path-traversal', member: name, detail: `member ${JSON.stringify(name)} climbs out of the archive with '..'` });
  }
  return findings;
}
