import { DomainError } from '@mgov/decider';

/** What the security gate requires of an artifact. */
export interface SecurityPolicy {
  /** Formats a model may be stored in (onnx, safetensors, joblib, pickle, pytorch, …); anything else fails. */
  readonly allowedFormats: readonly string[];
  /** A dependency manifest (requirements.txt, CycloneDX/SPDX JSON) must be logged on the run beside the model. */
  readonly requireSbom: boolean;
  /** Extra `module.name` globals (or whole `module`) to refuse, besides the scanner's built-in list. */
  readonly deniedGlobals: readonly string[];
  readonly maxArtifactBytes: number;
}

/** What the performance gate requires: metric floors and no regression beyond a tolerance vs production. */
export interface PerformancePolicy {
  readonly minimums: Readonly<Record<string, number>>;
  /** Largest drop allowed against the version in production, per metric named in `minimums`. */
  readonly maxRegression: number;
}

/** What the bias gate requires of every `fairness.<attribute>.<metric>` the run logged. */
export interface BiasPolicy {
  readonly minDisparateImpact: number;
  readonly maxDemographicParityDifference: number;
  readonly maxEqualizedOddsDifference: number;
  /** A run that logged no fairness metric fails the gate. */
  readonly requireFairnessMetrics: boolean;
}

export interface ReviewPolicy {
  readonly security: SecurityPolicy;
  readonly performance: PerformancePolicy;
  readonly bias: BiasPolicy;
  readonly approval: { readonly requiredApprovals: number };
}

/** A policy in force and the id every judgement records (`<scope>@v<N>`, `default@v0` for the built-in one). */
export interface PolicyInForce {
  readonly policyId: string;
  readonly policy: ReviewPolicy;
}

export const DEFAULT_REVIEW_POLICY: ReviewPolicy = {
  security: { allowedFormats: ['onnx', 'safetensors', 'joblib', 'pickle', 'pytorch'], requireSbom: true, deniedGlobals: [], maxArtifactBytes: 512 * 1024 * 1024 },
  performance: { minimums: { accuracy: 0.7 }, maxRegression: 0.02 },
  bias: { minDisparateImpact: 0.8, maxDemographicParityDifference: 0.1, maxEqualizedOddsDifference: 0.1, requireFairnessMetrics: true },
  approval: { requiredApprovals: 1 },
};

export const BUILT_IN_POLICY: PolicyInForce = { policyId: 'default@v0', policy: DEFAULT_REVIEW_POLICY };

export const KNOWN_FORMATS = ['onnx', 'safetensors', 'joblib', 'pickle', 'pytorch', 'keras', 'zip', 'tar'] as const;

const invalid = (message: string) => new DomainError('REGISTRY.INVALID_POLICY', message, 400);
const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

function section(input: Record<string, unknown>, name: string): Record<string, unknown> {
  const value = input[name] ?? {};
  if (!isRecord(value)) throw invalid(`${name} must be a mapping`);
  return value;
}

function number(input: Record<string, unknown>, path: string, key: string, fallback: number, check: (n: number) => boolean, rule: string): number {
  const value = input[key] ?? fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || !check(value)) throw invalid(`${path}.${key} must be ${rule}`);
  return value;
}

const fraction = (n: number) => n >= 0 && n <= 1;

/** A review policy from a parsed document, defaults filled in, or REGISTRY.INVALID_POLICY naming the field. */
export function checkedReviewPolicy(input: unknown): ReviewPolicy {
  if (!isRecord(input)) throw invalid('a review policy is a mapping with security, performance, bias and approval sections');
  const unknown = Object.keys(input).filter((key) => !['security', 'performance', 'bias', 'approval', 'description'].includes(key));
  if (unknown.length > 0) throw invalid(`unknown section(s) ${unknown.join(', ')}; use security, performance, bias, approval`);
  const d = DEFAULT_REVIEW_POLICY;
  const s = section(input, 'security');
  const formats = s.allowedFormats ?? d.security.allowedFormats;
  if (!Array.isArray(formats) || formats.length === 0 || !formats.every((f) => KNOWN_FORMATS.includes(f as never))) {
    throw invalid(`security.allowedFormats must list some of ${KNOWN_FORMATS.join(', ')}`);
  }
  const denied = s.deniedGlobals ?? [];
  if (!Array.isArray(denied) || !denied.every((g) => typeof g === 'string' && /^[\w.]+$/.test(g))) throw invalid('security.deniedGlobals must list module or module.name strings');
  const requireSbom = s.requireSbom ?? d.security.requireSbom;
  if (typeof requireSbom !== 'boolean') throw invalid('security.requireSbom must be true or false');
  const p = section(input, 'performance');
  const minimums = p.minimums ?? d.performance.minimums;
  if (!isRecord(minimums) || !Object.values(minimums).every((v) => typeof v === 'number' && Number.isFinite(v))) throw invalid('performance.minimums must map metric names to numbers');
  const b = section(input, 'bias');
  const requireFairness = b.requireFairnessMetrics ?? d.bias.requireFairnessMetrics;
  if (typeof requireFairness !== 'boolean') throw invalid('bias.requireFairnessMetrics must be true or false');
  const a = section(input, 'approval');
  return {
    security: {
      allowedFormats: [...new Set(formats as string[])].sort(), requireSbom, deniedGlobals: [...(denied as string[])],
      maxArtifactBytes: number(s, 'security', 'maxArtifactBytes', d.security.maxArtifactBytes, (n) => Number.isInteger(n) && n > 0, 'a positive integer'),
    },
    performance: {
      minimums: Object.fromEntries(Object.entries(minimums as Record<string, number>).sort(([x], [y]) => (x < y ? -1 : 1))),
      maxRegression: number(p, 'performance', 'maxRegression', d.performance.maxRegression, (n) => n >= 0, 'a non-negative number'),
    },
    bias: {
      minDisparateImpact: number(b, 'bias', 'minDisparateImpact', d.bias.minDisparateImpact, fraction, 'between 0 and 1'),
      maxDemographicParityDifference: number(b, 'bias', 'maxDemographicParityDifference', d.bias.maxDemographicParityDifference, fraction, 'between 0 and 1'),
      maxEqualizedOddsDifference: number(b, 'bias', 'maxEqualizedOddsDifference', d.bias.maxEqualizedOddsDifference, fraction, 'between 0 and 1'),
      requireFairnessMetrics: requireFairness,
    },
    approval: { requiredApprovals: number(a, 'approval', 'requiredApprovals', 1, (n) => Number.isInteger(n) && n >= 1 && n <= 5, 'an integer from 1 to 5') },
  };
}

const SCOPE = /^(default|model:[a-z0-9][a-z0-9._-]{0,63}|use-case:[a-z0-9][a-z0-9._-]{0,63})$/;

/** Throws REGISTRY.INVALID_POLICY_SCOPE unless the scope is `default`, `model:<name>` or `use-case:<name>`. */
export function checkedPolicyScope(scope: string): string {
  if (typeof scope === 'string' && SCOPE.test(scope)) return scope;
  throw new DomainError('REGISTRY.INVALID_POLICY_SCOPE', `policy scope ${JSON.stringify(scope)} is invalid: use default, model:<name> or use-case:<name>`, 400);
}
