import { gzipSync } from 'node:zlib';
import type { DomainEvent } from '@mgov/contracts';
import { globalOsSystem, safeStateDict, stackGlobalViaMemo, torchZipOf } from '@mgov/artifact-scan/testing';
import { waitFor } from '@mgov/testing';
import { databaseUrl, type RegistryHost, registryHost, type RunArtifact } from './registry-host';

const SCIENTIST: [string, string] = ['ada', 'data-scientist'];
const REVIEWER: [string, string] = ['grace', 'model-reviewer'];
const REVIEWER_2: [string, string] = ['alan', 'model-reviewer'];
const FAIR = { accuracy: 0.91, f1: 0.88, 'fairness.sex.disparate_impact': 0.9, 'fairness.sex.demographic_parity_difference': 0.04, 'fairness.sex.equalized_odds_difference': 0.05 };
const POLICY_YAML = `# credit models: two reviewers, ONNX or pickle-based formats, an SBOM
security:
  allowedFormats: [onnx, safetensors, pickle, joblib, pytorch]
  requireSbom: true
performance:
  minimums: { accuracy: 0.85, f1: 0.8 }
  maxRegression: 0.01
bias:
  minDisparateImpact: 0.8
approval:
  requiredApprovals: 2
`;

// Needs a real PostgreSQL: `node tools/infra/run-with-infra.js npx jest services/registry --runInBand`.
if (!(databaseUrl)) throw new Error('a real PostgreSQL (and Kafka) is needed: run the suite with tools/infra/run-with-infra.js, which sets MGOV_DATABASE_URL and MGOV_KAFKA_BROKERS');
describe('registry review on PostgreSQL', () => {
  const host: RegistryHost = registryHost();
  let dataset: string;
  let requirements: RunArtifact;

  const runWith = async (model: Buffer, path = 'model/model.pkl', metrics: Record<string, number> = FAIR, extra: Partial<Parameters<RegistryHost['finishedRun']>[0]> = {}) => {
    const artifact = await host.store(path, model);
    const runId = await host.finishedRun({ artifacts: [artifact, requirements], metrics, datasetVersionIds: [dataset], ...extra });
    return { runId, artifact, digest: `sha256:${artifact.sha256}` };
  };
  const refusals = async (code: string) => (await host.events('RegistryRequestRefused')).filter((e) => e.data.code === code);

  beforeAll(async () => {
    dataset = await host.eligibleDataset();
    requirements = await host.store('model/requirements.txt', Buffer.from('scikit-learn==1.5.2\nnumpy>=1.26\n'));
  });

  it('publishes a YAML review policy as a versioned event; the same document again changes nothing', async () => {
    const first = await host.call('POST', '/registry/policies/model:credit', REVIEWER, { document: POLICY_YAML });
    expect(first).toMatchObject({ status: 200, body: { policyId: 'model:credit@v1', changed: true } });
    expect((await host.call('POST', '/registry/policies/model:credit', REVIEWER, { document: POLICY_YAML })).body).toMatchObject({ policyId: 'model:credit@v1', changed: false });
    const bad = await host.call('POST', '/registry/policies/model:credit', REVIEWER, { document: 'approval:\n  requiredApprovals: 0\n' });
    expect(bad).toMatchObject({ status: 400, body: { error: { code: 'REGISTRY.INVALID_POLICY' } } });
    expect((await host.call('POST', '/registry/policies/model:credit', REVIEWER, { document: 'security: [' })).body.error?.code).toBe('REGISTRY.INVALID_POLICY');
    expect((await host.call('POST', '/registry/policies/model:credit', SCIENTIST, { document: POLICY_YAML })).status).toBe(403);
    const published = await host.events('ReviewPolicyPublished');
    expect(published).toHaveLength(1);
    expect(published[0]!.data).toMatchObject({ scope: 'model:credit', policyVersion: 1, document: POLICY_YAML, publishedBy: 'grace' });
  });

  it('reviews a safe candidate: three gates under the policy, two approvals by non-submitters, then an immutable tag', async () => {
    const { runId, digest } = await runWith(torchZipOf(safeStateDict()), 'model/model.pt');
    const submitted = await host.call('POST', '/registry/models/credit/candidates', SCIENTIST, { candidateId: 'cand-safe', runId, artifactDigest: digest, signature: { inputs: [{ name: 'income', type: 'double' }] } });
    expect(submitted).toMatchObject({ status: 201, body: { status: 'in-review', policyVersion: 'model:credit@v1', passedGates: true, requiredApprovals: 2 } });
    const gates = await host.events('ReviewGateJudged');
    expect(gates.filter((g) => g.data.candidateId === 'cand-safe').map((g) => [g.data.gate, g.data.passed, g.data.policyVersion])).toEqual([
      ['security', true, 'model:credit@v1'], ['performance', true, 'model:credit@v1'], ['bias', true, 'model:credit@v1'],
    ]);
    expect(JSON.parse(String(gates[0]!.data.evidence))).toMatchObject({ scan: { format: 'pytorch', globals: ['collections.OrderedDict'] }, manifest: { path: 'model/requirements.txt' } });
    await host.catchUp();
    expect((await host.call('GET', '/registry/models/credit/versions', REVIEWER)).body).toEqual([]);
    expect((await host.call('GET', '/registry/review-queue?model=credit', REVIEWER)).body).toEqual([expect.objectContaining({ candidate_id: 'cand-safe', status: 'in-review' })]);

    const own = await host.call('POST', '/registry/models/credit/candidates/cand-safe/approve', ['ada', 'model-reviewer'], { justification: 'mine' });
    expect(own).toMatchObject({ status: 403, body: { error: { code: 'REGISTRY.SEPARATION_OF_DUTIES' } } });
    expect(await refusals('REGISTRY.SEPARATION_OF_DUTIES')).toEqual([expect.objectContaining({ data: expect.objectContaining({ action: 'approve', candidateId: 'cand-safe' }) })]);

    expect((await host.call('POST', '/registry/models/credit/candidates/cand-safe/approve', REVIEWER, { justification: 'gates and metrics reviewed' })).body)
      .toMatchObject({ status: 'in-review', approvals: 1, requiredApprovals: 2 });
    expect((await host.call('POST', '/registry/models/credit/candidates/cand-safe/approve', REVIEWER, {})).body.error?.code).toBe('REGISTRY.ALREADY_APPROVED_BY');
    const second = await host.call('POST', '/registry/models/credit/candidates/cand-safe/approve', REVIEWER_2, { justification: 'second pair of eyes' });
    expect(second.body).toMatchObject({ status: 'registered', version: 1, tag: 'credit:1', digest, approvedBy: ['grace', 'alan'], policyVersion: 'model:credit@v1' });
    const [registered] = await host.events('ModelVersionRegistered');
    expect(registered!.data).toMatchObject({ submittedBy: 'ada', approvedBy: ['grace', 'alan'], metrics: FAIR, policyVersion: 'model:credit@v1' });

    await host.catchUp();
    expect((await host.call('GET', '/registry/models/credit/versions/1', SCIENTIST)).body).toMatchObject({ tag: 'credit:1', digest, archived: false, quarantined: false });
    const download = await host.call('GET', '/registry/models/credit/versions/1/artifact', REVIEWER);
    expect(download.status).toBe(200);
    expect(download.buffer.equals(torchZipOf(safeStateDict()))).toBe(true);
    // The same bytes can never get a second tag.
    const again = await runWith(torchZipOf(safeStateDict()), 'model/model.pt');
    expect((await host.call('POST', '/registry/models/credit/candidates', SCIENTIST, { runId: again.runId, artifactDigest: digest })).body.error?.code).toBe('REGISTRY.DIGEST_ALREADY_REGISTERED');
  });

  it('fails the security gate on a malicious pickle (never loaded) and refuses to approve it; a rejection records its reason', async () => {
    for (const [name, bytes] of [['model/evil.pkl', globalOsSystem()], ['model/evil.joblib', gzipSync(stackGlobalViaMemo('subprocess', 'Popen'))]] as const) {
      const { runId, digest } = await runWith(bytes, name);
      const candidateId = `evil-${name.slice(-3)}`;
      const submitted = await host.call('POST', '/registry/models/credit/candidates', SCIENTIST, { candidateId, runId, artifactDigest: digest });
      expect(submitted.body).toMatchObject({ passedGates: false, gates: { security: { passed: false } } });
      expect(JSON.stringify(submitted.body)).toMatch(/dangerous-global/);
      const approve = await host.call('POST', `/registry/models/credit/candidates/${candidateId}/approve`, REVIEWER, {});
      expect(approve).toMatchObject({ status: 422, body: { error: { code: 'REGISTRY.REVIEW_NOT_PASSED' } } });
    }
    expect(await refusals('REGISTRY.REVIEW_NOT_PASSED')).toHaveLength(2);
    expect((await host.call('POST', '/registry/models/credit/candidates/evil-pkl/reject', REVIEWER, {})).body.error?.code).toBe('REGISTRY.REASON_REQUIRED');
    const rejected = await host.call('POST', '/registry/models/credit/candidates/evil-pkl/reject', REVIEWER, { reason: 'imports os.system' });
    expect(rejected.body).toMatchObject({ status: 'rejected', reason: 'imports os.system' });
    await host.catchUp();
    expect((await host.call('GET', '/registry/models/credit/candidates/evil-pkl', REVIEWER)).body).toMatchObject({ status: 'rejected', rejected_by: 'grace', rejection_reason: 'imports os.system' });
  });

  it('refuses a tampered or foreign artifact digest, unverified or ineligible data, and writes no candidate', async () => {
    const before = (await host.events('ModelVersionSubmitted')).length;
    const { runId } = await runWith(Buffer.from('onnx?'), 'model/model.onnx');
    const other = `sha256:${'0'.repeat(64)}`;
    const mismatch = await host.call('POST', '/registry/models/credit/candidates', SCIENTIST, { runId, artifactDigest: other });
    expect(mismatch).toMatchObject({ status: 422, body: { error: { code: 'REGISTRY.DIGEST_MISMATCH' } } });
    expect(await refusals('REGISTRY.DIGEST_MISMATCH')).toEqual([expect.objectContaining({ data: expect.objectContaining({ action: 'submit', modelName: 'credit' }) })]);

    const unverified = await runWith(Buffer.from('a'), 'model/a.onnx', FAIR, { dataUnverified: true });
    expect((await host.call('POST', '/registry/models/credit/candidates', SCIENTIST, { runId: unverified.runId, artifactDigest: unverified.digest })).body.error?.code).toBe('REGISTRY.DATA_UNVERIFIED');
    const notEligible = await runWith(Buffer.from('b'), 'model/b.onnx', FAIR, { datasetVersionIds: [`sha256:${'9'.repeat(64)}`] });
    expect((await host.call('POST', '/registry/models/credit/candidates', SCIENTIST, { runId: notEligible.runId, artifactDigest: notEligible.digest })).body.error?.code).toBe('REGISTRY.DATA_NOT_ELIGIBLE');
    const revokedDataset = await host.eligibleDataset();
    const revoked = await runWith(Buffer.from('c'), 'model/c.onnx', FAIR, { datasetVersionIds: [revokedDataset] });
    await host.publish({ type: 'DatasetVersionTrainingEligibilityRevoked', data: { datasetVersionId: revokedDataset, reason: 'source license revoked', sourceIds: ['crm'] } } as DomainEvent, `dataset-version:${revokedDataset}`, 'lineage');
    await waitFor(async () => (await host.runtime.db.query(`SELECT 1 FROM ${host.runtime.schema}.dataset_eligibility_v1 WHERE dataset_version_id = $1 AND revoked_reason IS NOT NULL`, [revokedDataset])).length === 1, 10_000);
    const refused = await host.call('POST', '/registry/models/credit/candidates', SCIENTIST, { runId: revoked.runId, artifactDigest: revoked.digest });
    expect(refused.body.error).toMatchObject({ code: 'REGISTRY.DATA_NOT_ELIGIBLE', message: expect.stringMatching(/revoked/) });
    expect((await host.call('POST', '/registry/models/credit/candidates', SCIENTIST, { runId: 'no-such-run', artifactDigest: other })).body.error?.code).toBe('REGISTRY.RUN_NOT_FINISHED');
    expect((await host.events('ModelVersionSubmitted')).length).toBe(before);
  });

  it('judges bytes tampered in the store as unreadable, and refuses and records a tampered download', async () => {
    const model = torchZipOf(Buffer.concat([safeStateDict()]));
    const bytes = Buffer.concat([model, Buffer.from('x')]);
    const { runId, digest, artifact } = await runWith(bytes, 'model/model2.pt');
    host.tamper(artifact.sha256, Buffer.from('swapped'));
    const submitted = await host.call('POST', '/registry/models/credit/candidates', SCIENTIST, { candidateId: 'tampered', runId, artifactDigest: digest });
    expect(submitted.body).toMatchObject({ passedGates: false, gates: { security: { passed: false, findings: expect.arrayContaining([expect.objectContaining({ check: 'artifact-readable', passed: false, detail: expect.stringMatching(/tampered/) })]) } } });
    // Judging again changes no recorded verdict.
    const judgedBefore = (await host.events('ReviewGateJudged')).length;
    const rejudged = await host.call('POST', '/registry/models/credit/candidates/tampered/judge', SCIENTIST, {});
    expect(rejudged.body).toMatchObject({ candidate_id: 'tampered', gates: { security: { passed: false } } });
    expect((await host.events('ReviewGateJudged')).length).toBe(judgedBefore);

    host.tamper(JSON.parse(JSON.stringify((await host.call('GET', '/registry/models/credit/versions/1', REVIEWER)).body)).digest.slice(7), Buffer.from('evil'));
    const download = await host.call('GET', '/registry/models/credit/versions/1/artifact', REVIEWER);
    expect(download).toMatchObject({ status: 409, body: { error: { code: 'REGISTRY.ARTIFACT_TAMPERED' } } });
    expect(await refusals('REGISTRY.ARTIFACT_TAMPERED')).toEqual([expect.objectContaining({ data: expect.objectContaining({ action: 'download', version: 1 }) })]);
  });

  it('fails the performance and bias gates on weak or unfair metrics', async () => {
    const weak = await runWith(Buffer.from('weak-model'), 'model/weak.onnx', { ...FAIR, accuracy: 0.8 });
    const judged = await host.call('POST', '/registry/models/credit/candidates', SCIENTIST, { runId: weak.runId, artifactDigest: weak.digest });
    expect(judged.body).toMatchObject({ gates: { performance: { passed: false } } });
    const unfair = await runWith(Buffer.from('unfair-model'), 'model/unfair.onnx', { ...FAIR, 'fairness.sex.disparate_impact': 0.6 });
    expect((await host.call('POST', '/registry/models/credit/candidates', SCIENTIST, { runId: unfair.runId, artifactDigest: unfair.digest })).body)
      .toMatchObject({ gates: { bias: { passed: false, findings: expect.arrayContaining([expect.objectContaining({ check: 'fairness.sex.disparate_impact', passed: false })]) } } });
  });

  it('records the signature an MLflow MLmodel file beside the model declares when none is given', async () => {
    const model = await host.store('model/model.onnx', Buffer.from([0x08, 0x08, 0x12, 0x01, 0x78]));
    const mlmodel = await host.store('model/MLmodel', Buffer.from('flavors:\n  onnx: {}\nsignature:\n  inputs: \'[{"type": "double", "name": "income"}]\'\n  outputs: \'[{"type": "long"}]\'\n'));
    const runId = await host.finishedRun({ artifacts: [model, mlmodel, requirements], metrics: FAIR, datasetVersionIds: [dataset] });
    await host.call('POST', '/registry/models/credit/candidates', SCIENTIST, { candidateId: 'with-mlmodel', runId, artifactDigest: `sha256:${model.sha256}` });
    const [started] = (await host.events('CandidateReviewStarted')).filter((e) => e.data.candidateId === 'with-mlmodel');
    expect(JSON.parse(String(started!.data.signature))).toEqual({ inputs: '[{"type": "double", "name": "income"}]', outputs: '[{"type": "long"}]' });
    expect(JSON.parse(String((await host.events('CandidateReviewStarted')).find((e) => e.data.candidateId === 'cand-safe')!.data.signature))).toEqual({ inputs: [{ name: 'income', type: 'double' }] });
  });

  it('takes a successful retraining as a candidate submitted by its approver, never approved automatically', async () => {
    const { runId, digest } = await runWith(Buffer.from('retrained-onnx'), 'model/retrained.onnx');
    await host.publish({
      type: 'RetrainingSucceeded',
      data: { retrainingId: 'rt-1', caseId: 'case-1', modelName: 'credit', previousVersion: 1, runId, artifactDigest: digest, datasetVersionId: dataset, approvedBy: 'rita' },
    } as DomainEvent, 'retraining:rt-1', 'retraining');
    await waitFor(async () => (await host.events('ModelVersionSubmitted')).some((e) => e.data.candidateId === 'retraining-rt-1'), 10_000, 'the retrained candidate');
    const [started] = (await host.events('CandidateReviewStarted')).filter((e) => e.data.candidateId === 'retraining-rt-1');
    expect(started!.data).toMatchObject({ source: 'retraining', policyVersion: 'model:credit@v1' });
    expect((await host.events('ModelVersionSubmitted')).find((e) => e.data.candidateId === 'retraining-rt-1')!.data.submittedBy).toBe('rita');
    expect((await host.events('ModelVersionApproved')).some((e) => e.data.candidateId === 'retraining-rt-1')).toBe(false);
    expect((await host.call('POST', '/registry/models/credit/candidates/retraining-rt-1/approve', ['rita', 'model-reviewer'], {})).body.error?.code).toBe('REGISTRY.SEPARATION_OF_DUTIES');
  });
});
