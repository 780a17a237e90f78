import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { Service } from 'kubernetes-models/v1/Service';
import { parseAllDocuments } from 'yaml';
import type { K8sObject } from './k8s-object';
import { DEFAULT_TEMPLATE_DIR, ManifestRenderer, PINNED_IMAGE } from './manifest-renderer';

const digest = `sha256:${'ab'.repeat(32)}`;
const input = { deploymentId: 'd-1', modelName: 'credit_risk.v2', version: 3, tag: 'credit_risk.v2:3', digest, environment: 'production' };

describe('model-serving manifests (deploy/model-serving)', () => {
  const renderer = new ManifestRenderer();

  it('renders schema-valid Deployment and Service objects with every image pinned by digest and the model mounted by digest', () => {
    const rendered = renderer.render(input);
    const docs = parseAllDocuments(rendered.yaml).map((d) => d.toJS() as K8sObject);
    expect(docs.map((d) => d.kind)).toEqual(['Deployment', 'Service']);
    // Round-trip through the YAML the deployer writes, then validate against the Kubernetes schemas.
    expect(() => new Deployment(docs[0] as never).validate()).not.toThrow();
    expect(() => new Service(docs[1] as never).validate()).not.toThrow();
    const pod = docs[0]!.spec.template.spec;
    for (const container of [...pod.containers, ...pod.initContainers]) expect(container.image).toMatch(PINNED_IMAGE);
    expect(pod.initContainers[0].env).toEqual(expect.arrayContaining([{ name: 'MODEL_SHA256', value: 'ab'.repeat(32) }]));
    expect(pod.containers[0].args).toEqual(['--model', '/models/model', '--model-digest', digest]);
    expect(docs[0]!.metadata).toMatchObject({ name: 'model-credit-risk-v2', namespace: 'mgov-production', annotations: { 'mgov.io/model-digest': digest, 'mgov.io/tag': 'credit_risk.v2:3' } });
    expect(docs[0]!.spec.replicas).toBe(2);
    expect(docs[1]!.spec.selector).toEqual(docs[0]!.spec.selector.matchLabels);
    expect(rendered.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(renderer.render(input).sha256).toBe(rendered.sha256);
  });

  it('refuses an image that is not pinned by digest, and manifests that are not valid Kubernetes objects', () => {
    expect(() => new ManifestRenderer(undefined, { image: 'ghcr.io/mgov/model-server:latest' })).toThrow(/pinned by digest/);
    const dir = mkdtempSync(join(tmpdir(), 'mgov-templates-'));
    for (const file of ['service.yaml', 'serving.config.yaml']) writeFileSync(join(dir, file), readFileSync(join(DEFAULT_TEMPLATE_DIR, file)));
    writeFileSync(join(dir, 'deployment.yaml'), readFileSync(join(DEFAULT_TEMPLATE_DIR, 'deployment.yaml'), 'utf8').replace('  selector:\n    matchLabels:\n      app.kubernetes.io/name: ${resourceName}\n', ''));
    expect(() => new ManifestRenderer(dir).render(input)).toThrow(expect.objectContaining({ code: 'REGISTRY.INVALID_MANIFEST' }));
  });

  it('puts values into the parsed tree, so a value cannot inject YAML', () => {
    const rendered = renderer.render({ ...input, tag: 'x\nkind: Secret' });
    const [deployment] = parseAllDocuments(rendered.yaml).map((d) => d.toJS() as K8sObject);
    expect(deployment!.kind).toBe('Deployment');
    expect(deployment!.metadata.annotations['mgov.io/tag']).toBe('x\nkind: Secret');
  });

  it('refuses an unknown environment and a malformed digest', () => {
    expect(() => renderer.render({ ...input, environment: 'qa' })).toThrow(expect.objectContaining({ code: 'REGISTRY.INVALID_ENVIRONMENT' }));
    expect(() => renderer.render({ ...input, digest: 'sha256:xyz' })).toThrow(expect.objectContaining({ code: 'REGISTRY.DIGEST_MISMATCH' }));
  });
});
