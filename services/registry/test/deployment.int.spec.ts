import { existsSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { parseAllDocuments } from 'yaml';
import type { DomainEvent } from '@mgov/contracts';
import { safetensorsOfSize } from './safetensors';
import { waitFor } from '@mgov/testing';
import type { K8sObject } from '../src/deployment/k8s-object';
import { deploymentDecider } from '@mgov/registry-domain';
import { registryLinks } from '../src/application/links';
import { DeploymentPipeline } from '../src/deployment/deployment-pipeline';
import { ManifestRenderer, PINNED_IMAGE } from '../src/deployment/manifest-renderer';
import { GitOpsDirectoryDeployer, WebhookDeployer } from '../src/deployment/deployers';
import { databaseUrl, type RegistryHost, registryHost } from './registry-host';

const SCIENTIST: [string, string] = ['ada', 'data-scientist'];
const REVIEWER: [string, string] = ['grace', 'model-reviewer'];
const ENGINEER: [string, string] = ['eve', 'ml-engineer'];
const FAIR = { accuracy: 0.91, f1: 0.88, 'fairness.sex.di': 0.9, 'fairness.sex.dpd': 0.04, 'fairness.sex.eod': 0.05 };

/** Registers `name:N` through the whole review: a safetensors model with a CycloneDX SBOM, approved by grace. */
async function register(host: RegistryHost, name: string, seed: number, dataset: string): Promise<number> {
  const model = await host.store('model/model.safetensors', safetensorsOfSize(seed));
  const sbom = await host.store('model/bom.cdx.json', Buffer.from(JSON.stringify({ bomFormat: 'CycloneDX', specVersion: '1.5', components: [{ name: 'torch', version: '2.4.0' }] })));
  const runId = await host.finishedRun({ artifacts: [model, sbom], metrics: FAIR, datasetVersionIds: [dataset] });
  const candidateId = `${name}-${seed}`;
  const submitted = await host.call('POST', `/registry/models/${name}/candidates`, SCIENTIST, { candidateId, runId, artifactDigest: `sha256:${model.sha256}` });
  expect(submitted.body).toMatchObject({ passedGates: true });
  const approved = await host.call('POST', `/registry/models/${name}/candidates/${candidateId}/approve`, REVIEWER, { justification: 'ok' });
  await host.catchUp();
  return approved.body.version as number;
}

if (!(databaseUrl)) throw new Error('a real PostgreSQL (and Kafka) is needed: run the suite with tools/infra/run-with-infra.js, which sets MGOV_DATABASE_URL and MGOV_KAFKA_BROKERS');
describe('deployment pipeline on PostgreSQL (GitOps directory deployer)', () => {
  const host = registryHost();
  let dataset: string;
  const deploy = (name: string, version: number | string, environment = 'production') => host.call('POST', `/registry/models/${name}/deployments`, ENGINEER, { version, environment });
  const gitopsFile = (environment: string, name: string) => join(host.gitopsDir, environment, `model-${name}`, 'manifests.yaml');

  beforeAll(async () => {
    dataset = await host.eligibleDataset();
  });

  it('refuses to deploy a candidate or an unknown version, and records it', async () => {
    const model = await host.store('model/model.safetensors', safetensorsOfSize(99));
    const runId = await host.finishedRun({ artifacts: [model], metrics: FAIR, datasetVersionIds: [dataset] });
    await host.call('POST', '/registry/models/scoring/candidates', SCIENTIST, { candidateId: 'pending-1', runId, artifactDigest: `sha256:${model.sha256}` });
    await host.catchUp();
    expect(await deploy('scoring', 'pending-1')).toMatchObject({ status: 409, body: { error: { code: 'REGISTRY.CANDIDATE_NOT_DEPLOYABLE' } } });
    expect(await deploy('scoring', 7)).toMatchObject({ status: 404, body: { error: { code: 'REGISTRY.VERSION_NOT_FOUND' } } });
    expect((await deploy('scoring', 7, 'qa')).body.error?.code).toBe('REGISTRY.INVALID_ENVIRONMENT');
    expect((await host.call('POST', '/registry/models/scoring/deployments', SCIENTIST, { version: 1, environment: 'staging' })).status).toBe(403);
    const refused = (await host.events('RegistryRequestRefused')).filter((e) => e.data.action === 'deploy').map((e) => e.data.code);
    expect(refused).toEqual(['REGISTRY.CANDIDATE_NOT_DEPLOYABLE', 'REGISTRY.VERSION_NOT_FOUND', 'REGISTRY.INVALID_ENVIRONMENT']);
    expect((await host.events('DeploymentRequested')).length).toBe(0);
  });

  it('rolls out digest-pinned, schema-valid manifests; one production version at a time; the history is queryable', async () => {
    const v1 = await register(host, 'churn', 1, dataset);
    const v2 = await register(host, 'churn', 2, dataset);
    expect([v1, v2]).toEqual([1, 2]);
    const first = await deploy('churn', 1);
    expect(first).toMatchObject({ status: 201, body: { status: 'rolled_out', version: 1, environment: 'production', deployer: 'gitops-directory' } });
    const docs = parseAllDocuments(readFileSync(gitopsFile('production', 'churn'), 'utf8')).map((d) => d.toJS() as K8sObject);
    expect(() => new Deployment(docs[0] as never).validate()).not.toThrow();
    expect(docs[0]!.spec.template.spec.containers[0].image).toMatch(PINNED_IMAGE);
    const registered = (await host.call('GET', '/registry/models/churn/versions/1', ENGINEER)).body;
    expect(docs[0]!.metadata.annotations['mgov.io/model-digest']).toBe(registered.digest);

    await deploy('churn', 1, 'staging');
    expect((await deploy('churn', 2)).body).toMatchObject({ status: 'rolled_out', version: 2 });
    await host.catchUp();
    const history = (await host.call('GET', '/registry/models/churn/deployments', ENGINEER)).body as unknown as Array<Record<string, unknown>>;
    expect(history.map((d) => [d.version, d.environment, d.status])).toEqual([[1, 'production', 'superseded'], [1, 'staging', 'rolled_out'], [2, 'production', 'rolled_out']]);
    expect((await host.call('GET', '/registry/models/churn/serving', ENGINEER)).body).toMatchObject({ production: { version: 2 }, staging: { version: 1 } });
    expect(readFileSync(gitopsFile('production', 'churn'), 'utf8')).toContain('churn:2');
  });

  it('judges performance against the version serving production: a drop past the tolerance fails', async () => {
    const model = await host.store('model/model.safetensors', safetensorsOfSize(42));
    const sbom = await host.store('model/requirements.txt', Buffer.from('torch==2.4.0\n'));
    const runId = await host.finishedRun({ artifacts: [model, sbom], metrics: { ...FAIR, accuracy: 0.85 }, datasetVersionIds: [dataset] });
    const judged = await host.call('POST', '/registry/models/churn/candidates', SCIENTIST, { runId, artifactDigest: `sha256:${model.sha256}` });
    expect(judged.body).toMatchObject({
      gates: { performance: { passed: false, findings: expect.arrayContaining([expect.objectContaining({ check: 'regression:accuracy', passed: false, detail: expect.stringMatching(/in production \(version 2\)/) })]) } },
    });
  });

  it('rolls production back to the last approved, non-quarantined version on quarantine, and stops serving when none is left', async () => {
    await host.publish({
      type: 'ModelQuarantined', data: { modelName: 'churn', modelVersion: 2, digest: 'x', reason: 'accuracy breach', alertIds: ['a1'], quarantinedAt: Date.now() },
    } as DomainEvent, 'model-version:churn:2', 'retraining');
    await waitFor(async () => (await host.events('DeploymentRolledBack')).length === 1, 10_000, 'the rollback');
    await host.catchUp();
    expect((await host.call('GET', '/registry/models/churn/serving', ENGINEER)).body).toMatchObject({ production: { version: 1 }, staging: { version: 1 } });
    expect((await host.events('DeploymentRolledBack'))[0]!.data).toMatchObject({ version: 2, environment: 'production', restoredVersion: 1, reason: 'quarantined: accuracy breach' });
    expect(readFileSync(gitopsFile('production', 'churn'), 'utf8')).toContain('churn:1');
    expect((await host.call('GET', '/registry/models/churn/versions/2', ENGINEER)).body).toMatchObject({ quarantined: true });
    expect(await deploy('churn', 2)).toMatchObject({ status: 409, body: { error: { code: 'REGISTRY.VERSION_QUARANTINED' } } });

    await host.publish({
      type: 'ModelQuarantined', data: { modelName: 'churn', modelVersion: 1, digest: 'x', reason: 'bias drift', alertIds: [], quarantinedAt: Date.now() },
    } as DomainEvent, 'model-version:churn:1', 'retraining');
    await waitFor(async () => (await host.events('DeploymentRolledBack')).length === 3, 10_000, 'serving to stop in both environments');
    expect((await host.call('GET', '/registry/models/churn/serving', ENGINEER)).body).toEqual({});
    expect(existsSync(gitopsFile('production', 'churn'))).toBe(false);
    expect(existsSync(gitopsFile('staging', 'churn'))).toBe(false);

    await host.publish({
      type: 'ModelQuarantineReleased', data: { modelName: 'churn', modelVersion: 2, digest: 'x', caseId: 'c', releasedBy: 'rita', justification: 'false alarm', releasedAt: Date.now() },
    } as DomainEvent, 'model-version:churn:2', 'retraining');
    await waitFor(async () => (await host.call('GET', '/registry/models/churn/versions/2', ENGINEER)).body.quarantined === false, 10_000, 'the release');
    expect((await deploy('churn', 2)).body).toMatchObject({ status: 'rolled_out', version: 2 });
  });


  it('hands a deployment left requested (the process stopped mid-way) to the deployer again', async () => {
    const version = await register(host, 'resumed', 1, dataset);
    const runtime = host.runtime;
    const renderer = new ManifestRenderer();
    const digest = (await host.call('GET', '/registry/models/resumed/versions/1', ENGINEER)).body.digest as string;
    const rendered = renderer.render({ deploymentId: 'stuck-1', modelName: 'resumed', version, tag: `resumed:${version}`, digest, environment: 'staging' });
    const plan = { deploymentId: 'stuck-1', version, tag: `resumed:${version}`, digest, image: rendered.image, manifestsSha256: rendered.sha256, deployer: 'gitops-directory' };
    await runtime.commands.execute({
      streamId: 'deployments:resumed', decider: deploymentDecider, links: registryLinks,
      command: { type: 'RequestDeployment', modelName: 'resumed', environment: 'staging', plan, target: { kind: 'registered', quarantined: false, archived: false }, reason: '', metadata: { actor: { id: 'eve', role: 'ml-engineer' }, now: Date.now(), correlationId: 'c' } },
    });
    await host.catchUp();
    expect((await deploy('resumed', 1, 'staging')).body.error?.code).toBe('REGISTRY.DEPLOYMENT_IN_PROGRESS');
    const pipeline = new DeploymentPipeline(runtime, renderer, new GitOpsDirectoryDeployer(host.gitopsDir), {
      versions: `${runtime.schema}.model_versions_v2`, candidates: `${runtime.schema}.candidates_v1`, deployments: `${runtime.schema}.deployments_v1`,
      quarantinedVersions: async () => new Set<number>(),
    });
    expect(await pipeline.resumePending()).toBe(1);
    await host.catchUp();
    expect((await host.call('GET', '/registry/models/resumed/serving', ENGINEER)).body).toMatchObject({ staging: { deploymentId: 'stuck-1', version: 1 } });
    expect(existsSync(gitopsFile('staging', 'resumed'))).toBe(true);
    expect(await pipeline.resumePending()).toBe(0);
  });
});

describe('deployment pipeline with the webhook deployer', () => {
  const received: Array<Record<string, unknown>> = [];
  let answer = 503;
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      received.push({ ...(JSON.parse(body) as Record<string, unknown>), authorization: req.headers.authorization });
      res.writeHead(answer, answer < 300 ? { location: 'https://cd.example/deployments/42' } : {}).end(answer < 300 ? '{}' : 'maintenance window');
    });
  });
  beforeAll(async () => {
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  });
  afterAll(() => server.close());
  const host = registryHost({ deployer: () => new WebhookDeployer(`http://127.0.0.1:${(server.address() as AddressInfo).port}/deploy`, 'cd-token') });

  it('records a failed deployment when the CD system refuses it, and a rollout when it accepts', async () => {
    const dataset = await host.eligibleDataset();
    await register(host, 'fraud', 1, dataset);
    const failed = await host.call('POST', '/registry/models/fraud/deployments', ENGINEER, { version: 1, environment: 'staging' });
    expect(failed.body).toMatchObject({ status: 'failed', error: expect.stringMatching(/answered 503: maintenance window/) });
    expect(received[0]).toMatchObject({ action: 'apply', modelName: 'fraud', version: 1, environment: 'staging', authorization: 'Bearer cd-token', manifests: expect.stringContaining('kind: Deployment') });
    answer = 202;
    const ok = await host.call('POST', '/registry/models/fraud/deployments', ENGINEER, { version: 1, environment: 'staging' });
    expect(ok.body).toMatchObject({ status: 'rolled_out', location: 'https://cd.example/deployments/42' });
    expect((await host.events('DeploymentFailed', 'DeploymentRolledOut')).map((e) => e.type)).toEqual(['DeploymentFailed', 'DeploymentRolledOut']);
  });
});
