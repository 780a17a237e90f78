/** What a model artifact was recognised as. */
export type ArtifactFormat = 'pickle' | 'joblib' | 'pytorch' | 'onnx' | 'safetensors' | 'keras' | 'zip' | 'tar' | 'unknown';

export type FindingKind =
  | 'dangerous-global' | 'unresolved-global' | 'malformed' | 'path-traversal' | 'absolute-path' | 'symlink'
  | 'size-bomb' | 'ratio-bomb' | 'unsupported-archive' | 'code-in-config';

export interface ScanFinding {
  readonly kind: FindingKind;
  /** The archive member it was found in ('' for the artifact itself). */
  readonly member: string;
  readonly detail: string;
}

export interface ScannedMember {
  readonly name: string;
  readonly bytes: number;
  readonly pickle: boolean;
}

/** What scanning an artifact's bytes found, without executing any of them. */
export interface ArtifactScan {
  readonly format: ArtifactFormat;
  readonly bytes: number;
  /** Every `module.name` a pickle in it imports (GLOBAL, INST, STACK_GLOBAL), sorted, deduplicated. */
  readonly globals: readonly string[];
  readonly members: readonly ScannedMember[];
  readonly findings: readonly ScanFinding[];
}

export interface ScanLimits {
  /** Most bytes an archive may expand to (declared and actual). */
  readonly maxUncompressedBytes: number;
  /** Largest uncompressed / compressed ratio of one member. */
  readonly maxCompressionRatio: number;
  /** Extra `module` or `module.name` entries to refuse. */
  readonly deniedGlobals: readonly string[];
}

export const DEFAULT_SCAN_LIMITS: ScanLimits = { maxUncompressedBytes: 2 * 1024 * 1024 * 1024, maxCompressionRatio: 200, deniedGlobals: [] };
