import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runMgov } from './cli-harness';
import { StubServer } from './stub-server';

// `mgov model …` against a stub MGov that records what it was sent.
const stub = new StubServer();
const mgov = (args: readonly string[]) => runMgov(args, { MGOV_URL: stub.url, MGOV_TOKEN: 'mgov_admin01_secret' });
beforeAll(() => stub.start());
afterAll(() => stub.stop());
beforeEach(() => stub.reset());

const DIGEST = `sha256:${'ab'.repeat(32)}`;
const GATES = {
  security: { passed: true, policyVersion: 'default@v0', findings: [{ check: 'no-unsafe-content', passed: true, detail: '1 global(s) imported, none dangerous' }] },
  performance: { passed: true, policyVersion: 'default@v0', findings: [{ check: 'min:accuracy', passed: true, detail: 'accuracy 0.91 ≥ 0.7' }] },
  bias: { passed: false, policyVersion: 'default@v0', findings: [{ check: 'fairness.sex.di', passed: false, detail: 'disparate impact 0.6 (minimum 0.8)' }] },
};
const CANDIDATE = {
  candidate_id: 'c1', model_name: 'credit', run_id: 'r1', artifact_digest: DIGEST, submitted_by: 'ada', status: 'in-review', policy_version: 'default@v0',
  gates: GATES, approvals: [{ by: 'grace' }], submitted_at: '2030-01-01T00:00:00.000Z', rejected_by: null, rejection_reason: null, version: null,
};

describe('mgov model', () => {
  it('register sends the run, digest, signature and use case, and shows every gate\'s findings', async () => {
    stub.on('POST /registry/models/credit/candidates', { modelName: 'credit', candidateId: 'c1', status: 'in-review', policyVersion: 'default@v0', passedGates: false, requiredApprovals: 1, gates: GATES }, 201);
    const { code, stdout } = await mgov(['model', 'register', 'credit', '--run', 'r1', '--artifact-digest', DIGEST, '--signature', '{"inputs":[{"name":"income"}]}', '--use-case', 'lending', '--format', 'table']);
    expect(code).toBe(0);
    expect(stub.requests[0]!.body).toEqual({ runId: 'r1', artifactDigest: DIGEST, signature: { inputs: [{ name: 'income' }] }, useCase: 'lending' });
    expect(stdout).toMatch(/bias\s+│ fairness\.sex\.di\s+│ FAIL\s+│ disparate impact 0\.6/);
    const bad = await mgov(['model', 'register', 'credit', '--run', 'r1', '--artifact-digest', DIGEST, '--signature', '{oops']);
    expect(bad.code).toBe(2);
  });

  it('review lists the queue and shows one candidate', async () => {
    stub.on('GET /registry/review-queue', [CANDIDATE]);
    const list = await mgov(['model', 'review', 'credit', '--format', 'table']);
    expect(list.code).toBe(0);
    expect(stub.requests[0]!.query).toEqual({ model: 'credit', status: 'in-review' });
    expect(list.stdout).toMatch(/c1.*credit.*in-review.*security:pass performance:pass bias:FAIL/);
    stub.on('GET /registry/models/credit/candidates/c1', CANDIDATE);
    const one = await mgov(['model', 'review', 'credit', 'c1', '--format', 'json']);
    expect(JSON.parse(one.stdout)).toEqual(CANDIDATE);
  });

  it('approve and reject post their justification; a refusal exits 1 with its code', async () => {
    stub.on('POST /registry/models/credit/candidates/c1/approve', { error: { code: 'REGISTRY.REVIEW_NOT_PASSED', message: 'candidate c1 failed the bias gate(s)' } }, 422);
    const refused = await mgov(['model', 'approve', 'credit', 'c1', '--justification', 'looks fine']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('REGISTRY.REVIEW_NOT_PASSED');
    stub.on('POST /registry/models/credit/candidates/c1/reject', { modelName: 'credit', candidateId: 'c1', status: 'rejected', reason: 'bias' });
    expect((await mgov(['model', 'reject', 'credit', 'c1', '--reason', 'bias'])).code).toBe(0);
    expect(stub.requests.map((r) => r.body)).toEqual([{ justification: 'looks fine' }, { reason: 'bias' }]);
    expect((await mgov(['model', 'reject', 'credit', 'c1'])).code).toBe(2);
  });

  it('list and show registered versions; show refuses a non-numeric version', async () => {
    stub.on('GET /registry/models/credit/versions', [{ version: 1, tag: 'credit:1', digest: DIGEST, run_id: 'r1', approved_by: ['grace', 'alan'], policy_version: 'model:credit@v2', archived: false, quarantined: true, registered_at: 'x' }]);
    const list = await mgov(['model', 'list', 'credit', '--format', 'table']);
    expect(list.stdout).toMatch(/credit:1.*grace, alan.*model:credit@v2.*quarantined/);
    expect((await mgov(['model', 'show', 'credit', 'one'])).code).toBe(2);
    stub.on('POST /registry/models/credit/versions/1/archive', { modelName: 'credit', version: 1, tag: 'credit:1', archived: true });
    expect((await mgov(['model', 'archive', 'credit', '1', '--reason', 'superseded'])).code).toBe(0);
    expect(stub.requests.at(-1)!.body).toEqual({ reason: 'superseded' });
    expect((await mgov(['model', 'archive', 'credit', '1'])).code).toBe(2);
  });

  it('deploy requires an environment, sends the version, and exits 1 when the deployment failed', async () => {
    expect((await mgov(['model', 'deploy', 'credit', '1'])).code).toBe(2);
    stub.on('POST /registry/models/credit/deployments', { deployment_id: 'd1', model_name: 'credit', version: 1, environment: 'production', status: 'failed', error: 'webhook answered 503' }, 201);
    const failed = await mgov(['model', 'deploy', 'credit', '1', '--env', 'production', '--reason', 'release 7']);
    expect(failed.code).toBe(1);
    expect(stub.requests.at(-1)!.body).toEqual({ version: 1, environment: 'production', reason: 'release 7' });
    stub.on('GET /registry/models/credit/deployments', [{ deployment_id: 'd1', model_name: 'credit', version: 1, environment: 'production', status: 'rolled_back', requested_by: 'eve', requested_at: 't0', ended_at: 't1', end_reason: 'quarantined: drift', error: null, image: 'i' }]);
    const history = await mgov(['model', 'history', 'credit', '--env', 'production', '--format', 'table']);
    expect(history.stdout).toMatch(/credit:1.*production.*rolled_back.*eve.*quarantined: drift/);
    expect(stub.requests.at(-1)!.query).toEqual({ environment: 'production' });
  });

  it('policy publish sends the YAML file as the document', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'mgov-policy-')), 'policy.yaml');
    writeFileSync(file, 'approval:\n  requiredApprovals: 2\n');
    stub.on('POST /registry/policies/model%3Acredit', { scope: 'model:credit', policyId: 'model:credit@v1', changed: true, sha256: 'f'.repeat(64) });
    const { code } = await mgov(['model', 'policy', 'publish', 'model:credit', file]);
    expect(code).toBe(0);
    expect(stub.requests[0]!.body).toEqual({ document: 'approval:\n  requiredApprovals: 2\n' });
    expect((await mgov(['model', 'policy', 'publish', 'default', '/no/such/file.yaml'])).code).toBe(2);
  });
});
