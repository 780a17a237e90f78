import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DomainError } from '@mgov/decider';
import { Service } from 'kubernetes-models/v1/Service';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { parse, stringify } from 'yaml';

/** `name@sha256:<64 hex>`: the only image reference the pipeline renders. */
export const PINNED_IMAGE = /^[a-z0-9]+([._/-][a-z0-9]+)*(:[0-9]+)?(\/[a-z0-9]+([._-][a-z0-9]+)*)*@sha256:[0-9a-f]{64}$/;

export const DEFAULT_TEMPLATE_DIR = resolve(__dirname, '../../../../deploy/model-serving');

export interface ServingConfig {
  readonly image: string;
  readonly fetcherImage: string;
  readonly artifactBaseUrl: string;
  readonly environments: Readonly<Record<string, { readonly namespace: string; readonly replicas: number }>>;
}

export interface RenderInput {
  readonly deploymentId: string;
  readonly modelName: string;
  readonly version: number;
  readonly tag: string;
  /** `sha256:<hex>` of the model artifact. */
  readonly digest: string;
  readonly environment: string;
}

export interface RenderedManifests {
  readonly resourceName: string;
  readonly namespace: string;
  readonly image: string;
  readonly deployment: Record<string, unknown>;
  readonly service: Record<string, unknown>;
  /** Both objects as one multi-document YAML file, as written to GitOps or sent to a webhook. */
  readonly yaml: string;
  readonly sha256: string;
}

/** A DNS-1123 label for the model in an environment (model names may hold '.' and '_'). */
export const resourceNameOf = (modelName: string) => `model-${modelName.replace(/[._]/g, '-')}`.slice(0, 63).replace(/-+$/, '');

function substitute(node: unknown, values: Readonly<Record<string, string | number>>): unknown {
  if (typeof node === 'string') {
    const whole = /^\$\{(\w+)\}$/.exec(node);
    if (whole) {
      const value = values[whole[1]!];
      if (value === undefined) throw new Error(`template placeholder \${${whole[1]}} has no value`);
      return value;
    }
    return node.replace(/\$\{(\w+)\}/g, (_, key: string) => {
      if (values[key] === undefined) throw new Error(`template placeholder \${${key}} has no value`);
      return String(values[key]);
    });
  }
  if (Array.isArray(node)) return node.map((item) => substitute(item, values));
  if (node && typeof node === 'object') return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, substitute(v, values)]));
  return node;
}

/**
 * Renders the model-serving templates (deploy/model-serving) for one approved version: values go into
 * the parsed YAML tree (never into its text, so nothing can inject YAML), the objects are validated
 * against the Kubernetes schemas, and both images must be pinned by digest.
 */
export class ManifestRenderer {
  private readonly deploymentTemplate: unknown;
  private readonly serviceTemplate: unknown;
  readonly config: ServingConfig;

  constructor(templateDir = DEFAULT_TEMPLATE_DIR, overrides: Partial<ServingConfig> = {}) {
    this.deploymentTemplate = parse(readFileSync(join(templateDir, 'deployment.yaml'), 'utf8'));
    this.serviceTemplate = parse(readFileSync(join(templateDir, 'service.yaml'), 'utf8'));
    const defaults = parse(readFileSync(join(templateDir, 'serving.config.yaml'), 'utf8')) as ServingConfig;
    this.config = { ...defaults, ...overrides };
    for (const [name, image] of [['image', this.config.image], ['fetcherImage', this.config.fetcherImage]] as const) {
      if (!PINNED_IMAGE.test(image)) throw new Error(`the model-serving ${name} must be pinned by digest (name@sha256:<64 hex>), not ${JSON.stringify(image)}`);
    }
  }

  render(input: RenderInput): RenderedManifests {
    const env = this.config.environments[input.environment];
    if (!env) throw new DomainError('REGISTRY.INVALID_ENVIRONMENT', `no serving configuration for environment ${input.environment}`, 400);
    if (!/^sha256:[0-9a-f]{64}$/.test(input.digest)) throw new DomainError('REGISTRY.DIGEST_MISMATCH', `model digest ${input.digest} is not sha256:<64 hex>`, 422);
    const resourceName = resourceNameOf(input.modelName);
    const digestHex = input.digest.slice('sha256:'.length);
    const values = {
      ...input, version: String(input.version), resourceName, namespace: env.namespace, replicas: env.replicas, image: this.config.image, fetcherImage: this.config.fetcherImage,
      digestHex, artifactUrl: `${this.config.artifactBaseUrl.replace(/\/+$/, '')}/registry/artifacts/sha256:${digestHex}`,
    };
    const deployment = substitute(this.deploymentTemplate, values) as Record<string, unknown>;
    const service = substitute(this.serviceTemplate, values) as Record<string, unknown>;
    try {
      new Deployment(deployment as never).validate();
      new Service(service as never).validate();
    } catch (error) {
      throw new DomainError('REGISTRY.INVALID_MANIFEST', `the rendered manifests are not valid Kubernetes objects: ${(error as Error).message}`, 422);
    }
    const yaml = `${stringify(deployment)}---\n${stringify(service)}`;
    return { resourceName, namespace: env.namespace, image: this.config.image, deployment, service, yaml, sha256: createHash('sha256').update(yaml).digest('hex') };
  }
}
