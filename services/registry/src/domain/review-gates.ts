import type { ArtifactScan, DependencyManifest } from '@mgov/artifact-scan';
import { isDangerousGlobal } from '@mgov/artifact-scan';
import type { BiasPolicy, PerformancePolicy, SecurityPolicy } from './review-policy';

export type GateName = 'security' | 'performance' | 'bias';

export interface GateFinding {
  readonly check: string;
  readonly passed: boolean;
  readonly detail: string;
}

/** One gate's verdict with the checks behind it and the evidence it looked at. */
export interface GateJudgement {
  readonly gate: GateName;
  readonly passed: boolean;
  readonly findings: readonly GateFinding[];
  readonly evidence: Readonly<Record<string, unknown>>;
}

export interface SecurityEvidence {
  readonly artifact: { readonly path: string; readonly sha256: string; readonly size: number };
  /** null: the bytes could not be read (missing, or they no longer match their digest); `unreadable` says why. */
  readonly scan: ArtifactScan | null;
  readonly unreadable?: string;
  /** The dependency manifest / SBOM logged on the run, read; null when the run logged none. */
  readonly manifest: { readonly path: string; readonly read: DependencyManifest | string } | null;
}

const judged = (gate: GateName, findings: GateFinding[], evidence: Record<string, unknown>): GateJudgement =>
  ({ gate, passed: findings.every((f) => f.passed), findings, evidence });

/** Security: the scan found nothing, the format is allowed, no policy-denied global, a manifest accompanies it. */
export function securityGate(policy: SecurityPolicy, evidence: SecurityEvidence): GateJudgement {
  const { scan, manifest, artifact } = evidence;
  const findings: GateFinding[] = [];
  if (!scan) {
    findings.push({ check: 'artifact-readable', passed: false, detail: evidence.unreadable ?? `the bytes of ${artifact.path} are not in the object store` });
  } else {
    findings.push({ check: 'artifact-size', passed: scan.bytes <= policy.maxArtifactBytes, detail: `${scan.bytes} bytes (limit ${policy.maxArtifactBytes})` });
    findings.push({ check: 'format-allowed', passed: policy.allowedFormats.includes(scan.format), detail: `${scan.format} (allowed: ${policy.allowedFormats.join(', ')})` });
    for (const f of scan.findings) findings.push({ check: f.kind, passed: false, detail: f.member ? `${f.member}: ${f.detail}` : f.detail });
    for (const global of scan.globals) {
      const dot = global.lastIndexOf('.');
      if (policy.deniedGlobals.length > 0 && isDangerousGlobal(global.slice(0, dot), global.slice(dot + 1), policy.deniedGlobals)
        && !scan.findings.some((f) => f.detail.includes(global))) {
        findings.push({ check: 'policy-denied-global', passed: false, detail: `imports ${global}, denied by the policy` });
      }
    }
    if (!scan.findings.length) findings.push({ check: 'no-unsafe-content', passed: true, detail: `${scan.globals.length} global(s) imported, none dangerous` });
  }
  if (policy.requireSbom) {
    if (!manifest) findings.push({ check: 'dependency-manifest', passed: false, detail: 'the run logged no requirements.txt, CycloneDX or SPDX document beside the model' });
    else if (typeof manifest.read === 'string') findings.push({ check: 'dependency-manifest', passed: false, detail: manifest.read });
    else findings.push({ check: 'dependency-manifest', passed: true, detail: `${manifest.path}: ${manifest.read.kind}, ${manifest.read.packages} package(s)` });
  }
  return judged('security', findings, { artifact, scan, manifest });
}

/** Performance: every policy minimum met, and no metric below production's by more than the tolerance. */
export function performanceGate(policy: PerformancePolicy, metrics: Readonly<Record<string, number>>, production: { version: number; metrics: Readonly<Record<string, number>> } | null): GateJudgement {
  const findings: GateFinding[] = [];
  for (const [metric, minimum] of Object.entries(policy.minimums)) {
    const value = metrics[metric];
    findings.push(value === undefined
      ? { check: `min:${metric}`, passed: false, detail: `the run logged no ${metric} (minimum ${minimum})` }
      : { check: `min:${metric}`, passed: value >= minimum, detail: `${metric} ${value} ${value >= minimum ? '≥' : '<'} ${minimum}` });
    const baseline = production?.metrics[metric];
    if (production && baseline !== undefined && value !== undefined) {
      const drop = baseline - value;
      findings.push({
        check: `regression:${metric}`, passed: drop <= policy.maxRegression + 1e-12,
        detail: `${metric} ${value} vs ${baseline} in production (version ${production.version}): drop ${drop.toFixed(4)}, tolerance ${policy.maxRegression}`,
      });
    }
  }
  return judged('performance', findings, { metrics, production, minimums: policy.minimums, maxRegression: policy.maxRegression });
}

// A demographic parity ratio is the same four-fifths test as disparate impact.
const FAIRNESS_METRIC: Readonly<Record<string, 'di' | 'dpd' | 'eod'>> = {
  di: 'di', disparate_impact: 'di', dpr: 'di', demographic_parity_ratio: 'di', dpd: 'dpd', demographic_parity_difference: 'dpd', eod: 'eod', equalized_odds_difference: 'eod',
};

/** Bias: every `fairness.<attribute>.<metric>` within its threshold (DI ≥ min, |DPD| ≤ max, |EOD| ≤ max). */
export function biasGate(policy: BiasPolicy, metrics: Readonly<Record<string, number>>): GateJudgement {
  const findings: GateFinding[] = [];
  const fairness = Object.entries(metrics).filter(([key]) => key.startsWith('fairness.')).sort(([a], [b]) => (a < b ? -1 : 1));
  for (const [key, value] of fairness) {
    const parts = key.split('.');
    const kind = FAIRNESS_METRIC[parts.at(-1)!.toLowerCase()];
    if (parts.length < 3 || !kind) continue;
    if (kind === 'di') findings.push({ check: key, passed: value >= policy.minDisparateImpact, detail: `disparate impact ${value} (minimum ${policy.minDisparateImpact})` });
    if (kind === 'dpd') findings.push({ check: key, passed: Math.abs(value) <= policy.maxDemographicParityDifference, detail: `|demographic parity difference| ${Math.abs(value)} (maximum ${policy.maxDemographicParityDifference})` });
    if (kind === 'eod') findings.push({ check: key, passed: Math.abs(value) <= policy.maxEqualizedOddsDifference, detail: `|equalized odds difference| ${Math.abs(value)} (maximum ${policy.maxEqualizedOddsDifference})` });
  }
  if (findings.length === 0 && policy.requireFairnessMetrics) {
    findings.push({ check: 'fairness-metrics-logged', passed: false, detail: 'the run logged no fairness.<attribute>.<di|dpd|eod> metric' });
  }
  return judged('bias', findings, { fairness: Object.fromEntries(fairness), thresholds: policy });
}
