import { type ArtifactScan } from '@mgov/artifact-scan';
import { biasGate, performanceGate, securityGate, type SecurityEvidence } from './review-gates';
import { checkedReviewPolicy, DEFAULT_REVIEW_POLICY } from './review-policy';

const scan = (over: Partial<ArtifactScan> = {}): ArtifactScan => ({ format: 'pickle', bytes: 100, globals: ['collections.OrderedDict'], members: [], findings: [], ...over });
const evidence = (over: Partial<SecurityEvidence> = {}): SecurityEvidence => ({
  artifact: { path: 'model/model.pkl', sha256: 'a'.repeat(64), size: 100 }, scan: scan(), manifest: { path: 'model/requirements.txt', read: { kind: 'requirements', packages: 3 } }, ...over,
});
const failedChecks = (j: { findings: ReadonlyArray<{ check: string; passed: boolean }> }) => j.findings.filter((f) => !f.passed).map((f) => f.check);
const { security, performance, bias } = DEFAULT_REVIEW_POLICY;

describe('security gate', () => {
  it('passes a clean artifact in an allowed format with a dependency manifest', () => {
    expect(securityGate(security, evidence())).toMatchObject({ gate: 'security', passed: true });
  });

  it('fails on any scan finding, a format off the allow-list, a missing or unreadable manifest, unreadable bytes', () => {
    const malicious = scan({ globals: ['os.system'], findings: [{ kind: 'dangerous-global', member: '', detail: 'GLOBAL imports os.system' }] });
    expect(failedChecks(securityGate(security, evidence({ scan: malicious })))).toEqual(['dangerous-global']);
    expect(failedChecks(securityGate({ ...security, allowedFormats: ['onnx', 'safetensors'] }, evidence()))).toEqual(['format-allowed']);
    expect(failedChecks(securityGate(security, evidence({ manifest: null })))).toEqual(['dependency-manifest']);
    expect(failedChecks(securityGate(security, evidence({ manifest: { path: 'bom.json', read: 'bom.json is not valid JSON' } })))).toEqual(['dependency-manifest']);
    expect(securityGate({ ...security, requireSbom: false }, evidence({ manifest: null })).passed).toBe(true);
    expect(failedChecks(securityGate(security, evidence({ scan: null, unreadable: 'tampered' })))).toEqual(['artifact-readable']);
    expect(failedChecks(securityGate({ ...security, maxArtifactBytes: 10 }, evidence()))).toEqual(['artifact-size']);
  });

  it('applies the policy\'s extra denied globals', () => {
    expect(failedChecks(securityGate({ ...security, deniedGlobals: ['collections'] }, evidence()))).toEqual(['policy-denied-global']);
  });
});

describe('performance gate', () => {
  const policy = { minimums: { accuracy: 0.8, f1: 0.7 }, maxRegression: 0.02 };
  it('checks every minimum and names a missing metric', () => {
    expect(performanceGate(policy, { accuracy: 0.9, f1: 0.75 }, null).passed).toBe(true);
    expect(failedChecks(performanceGate(policy, { accuracy: 0.79, f1: 0.75 }, null))).toEqual(['min:accuracy']);
    expect(failedChecks(performanceGate(policy, { accuracy: 0.9 }, null))).toEqual(['min:f1']);
    expect(performance.minimums).toEqual({ accuracy: 0.7 });
  });

  it('refuses a regression beyond the tolerance against production', () => {
    const production = { version: 3, metrics: { accuracy: 0.93, f1: 0.8 } };
    expect(performanceGate(policy, { accuracy: 0.915, f1: 0.79 }, production).passed).toBe(true);
    expect(failedChecks(performanceGate(policy, { accuracy: 0.9, f1: 0.8 }, production))).toEqual(['regression:accuracy']);
  });
});

describe('bias gate', () => {
  it('judges fairness.<attribute>.<metric> against the thresholds, by long or short name', () => {
    const fair = { 'fairness.sex.disparate_impact': 0.85, 'fairness.sex.dpd': -0.05, 'fairness.age.equalized_odds_difference': 0.08, accuracy: 0.9 };
    expect(biasGate(bias, fair)).toMatchObject({ passed: true });
    expect(biasGate(bias, fair).findings).toHaveLength(3);
    expect(failedChecks(biasGate(bias, { ...fair, 'fairness.sex.disparate_impact': 0.79 }))).toEqual(['fairness.sex.disparate_impact']);
    expect(failedChecks(biasGate(bias, { ...fair, 'fairness.sex.dpd': -0.11 }))).toEqual(['fairness.sex.dpd']);
    expect(failedChecks(biasGate(bias, { ...fair, 'fairness.age.equalized_odds_difference': 0.2 }))).toEqual(['fairness.age.equalized_odds_difference']);
    expect(failedChecks(biasGate(bias, { ...fair, 'fairness.sex.demographic_parity_ratio': 0.7, 'fairness.sex.recall_difference': 0.9 }))).toEqual(['fairness.sex.demographic_parity_ratio']);
  });

  it('fails a run that logged no fairness metric unless the policy allows it', () => {
    expect(failedChecks(biasGate(bias, { accuracy: 0.9 }))).toEqual(['fairness-metrics-logged']);
    expect(biasGate({ ...bias, requireFairnessMetrics: false }, { accuracy: 0.9 }).passed).toBe(true);
  });
});

describe('review policy', () => {
  it('fills defaults and keeps what the document says', () => {
    const policy = checkedReviewPolicy({ performance: { minimums: { f1: 0.75 } }, approval: { requiredApprovals: 2 }, security: { allowedFormats: ['onnx'] } });
    expect(policy).toMatchObject({ performance: { minimums: { f1: 0.75 }, maxRegression: 0.02 }, approval: { requiredApprovals: 2 }, security: { allowedFormats: ['onnx'], requireSbom: true } });
    expect(policy.bias).toEqual(DEFAULT_REVIEW_POLICY.bias);
  });

  it('refuses a malformed policy with REGISTRY.INVALID_POLICY naming the field', () => {
    for (const bad of [null, [], { extra: 1 }, { security: { allowedFormats: ['exe'] } }, { bias: { minDisparateImpact: 2 } }, { approval: { requiredApprovals: 0 } },
      { performance: { minimums: { accuracy: 'high' } } }, { security: { requireSbom: 'yes' } }]) {
      expect(() => checkedReviewPolicy(bad)).toThrow(expect.objectContaining({ code: 'REGISTRY.INVALID_POLICY' }));
    }
  });
});
