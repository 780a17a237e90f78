import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RenderedManifests } from './manifest-renderer';

export interface DeploymentTargetRef {
  readonly modelName: string;
  readonly version: number;
  readonly environment: string;
  readonly deploymentId: string;
}

/** Hands rendered manifests to whatever applies them; `location` says where they went. */
export interface ModelDeployer {
  readonly kind: string;
  apply(target: DeploymentTargetRef, manifests: RenderedManifests): Promise<{ readonly location: string }>;
  /** Stops serving the model in the environment (no approved, non-quarantined version is left). */
  stop(target: Omit<DeploymentTargetRef, 'version'>, resourceName: string): Promise<{ readonly location: string }>;
}

/**
 * The default deployer: writes `<dir>/<environment>/<resource>/manifests.yaml` (atomically: temp file then
 * rename) for a GitOps controller (Argo CD, Flux) to sync; stopping removes the directory so it prunes.
 */
export class GitOpsDirectoryDeployer implements ModelDeployer {
  readonly kind = 'gitops-directory';
  constructor(private readonly dir: string) {}

  async apply(target: DeploymentTargetRef, manifests: RenderedManifests) {
    const folder = join(this.dir, target.environment, manifests.resourceName);
    mkdirSync(folder, { recursive: true });
    const file = join(folder, 'manifests.yaml');
    const header = `# ${target.modelName}:${target.version} → ${target.environment} (deployment ${target.deploymentId}); written by MGov, do not edit\n`;
    writeFileSync(`${file}.tmp`, header + manifests.yaml);
    renameSync(`${file}.tmp`, file);
    writeFileSync(`${join(folder, 'kustomization.yaml')}.tmp`, 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - manifests.yaml\n');
    renameSync(`${join(folder, 'kustomization.yaml')}.tmp`, join(folder, 'kustomization.yaml'));
    return { location: file };
  }

  async stop(target: Omit<DeploymentTargetRef, 'version'>, resourceName: string) {
    const folder = join(this.dir, target.environment, resourceName);
    rmSync(folder, { recursive: true, force: true });
    return { location: folder };
  }
}

/** Posts the manifests to an external CD system; any non-2xx answer fails the deployment. */
export class WebhookDeployer implements ModelDeployer {
  readonly kind = 'webhook';
  constructor(private readonly url: string, private readonly token?: string, private readonly timeoutMs = 10_000) {}

  private async post(body: Record<string, unknown>): Promise<{ location: string }> {
    const response = await fetch(this.url, {
      method: 'POST', signal: AbortSignal.timeout(this.timeoutMs),
      headers: { 'content-type': 'application/json', ...(this.token ? { authorization: `Bearer ${this.token}` } : {}) },
      body: JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`webhook ${this.url} answered ${response.status}: ${text.slice(0, 200)}`);
    return { location: response.headers.get('location') ?? this.url };
  }

  apply(target: DeploymentTargetRef, manifests: RenderedManifests) {
    return this.post({ action: 'apply', ...target, image: manifests.image, manifestsSha256: manifests.sha256, manifests: manifests.yaml });
  }

  stop(target: Omit<DeploymentTargetRef, 'version'>, resourceName: string) {
    return this.post({ action: 'stop', ...target, resourceName });
  }
}
