import { join } from 'node:path';
import type { ServiceDefinition } from '@mgov/http-edge';
import { objectStoreFromEnvironment } from '@mgov/object-store';
import { RegistryService } from './application/registry-service';
import { GitOpsDirectoryDeployer, type ModelDeployer, WebhookDeployer } from './deployment/deployers';
import { DeploymentPipeline } from './deployment/deployment-pipeline';
import { ManifestRenderer, type ServingConfig } from './deployment/manifest-renderer';
import { RegistryHttpModule } from './http/registry-http.module';

export interface RegistryOptions {
  /** A deployer in place of the one the environment picks (tests). */
  readonly deployer?: ModelDeployer;
  readonly gitopsDir?: string;
  readonly serving?: Partial<ServingConfig>;
  readonly templateDir?: string;
}

/**
 * The deployer the environment asks for: `MGOV_DEPLOY_WEBHOOK_URL` (+ `MGOV_DEPLOY_WEBHOOK_TOKEN`) posts
 * manifests to an external CD system; otherwise a GitOps directory (`MGOV_DEPLOY_GITOPS_DIR`, default
 * beside the object store).
 */
function deployerFor(objectStoreDir: string, options: RegistryOptions): ModelDeployer {
  if (options.deployer) return options.deployer;
  const webhook = process.env.MGOV_DEPLOY_WEBHOOK_URL?.trim();
  if (webhook) return new WebhookDeployer(webhook, process.env.MGOV_DEPLOY_WEBHOOK_TOKEN?.trim() || undefined);
  return new GitOpsDirectoryDeployer(options.gitopsDir ?? process.env.MGOV_DEPLOY_GITOPS_DIR ?? join(objectStoreDir, '..', 'gitops'));
}

function servingOverrides(options: RegistryOptions): Partial<ServingConfig> {
  const env = process.env;
  return {
    ...(env.MGOV_MODEL_SERVER_IMAGE ? { image: env.MGOV_MODEL_SERVER_IMAGE } : {}),
    ...(env.MGOV_MODEL_FETCHER_IMAGE ? { fetcherImage: env.MGOV_MODEL_FETCHER_IMAGE } : {}),
    ...(env.MGOV_MODEL_ARTIFACT_BASE_URL ? { artifactBaseUrl: env.MGOV_MODEL_ARTIFACT_BASE_URL } : {}),
    ...options.serving,
  };
}

/** The registry with its deployment pipeline; `options` replace what the environment configures. */
export function registryDefinitionWith(options: RegistryOptions = {}): ServiceDefinition {
  return {
    name: 'registry',
    create(runtime, settings) {
      const registry = new RegistryService(runtime, objectStoreFromEnvironment(settings.objectStoreDir));
      const renderer = new ManifestRenderer(options.templateDir ?? process.env.MGOV_MODEL_SERVING_TEMPLATES, servingOverrides(options));
      const pipeline = new DeploymentPipeline(runtime, renderer, deployerFor(settings.objectStoreDir, options), {
        versions: registry.versions.table, candidates: registry.candidates.table, deployments: registry.deployments.table,
        quarantinedVersions: (sql, modelName) => registry.quarantine.quarantinedVersions(sql, modelName),
      });
      registry.production = pipeline;
      registry.onQuarantined = (tx, modelName, version, reason, metadata) => pipeline.rollBackQuarantined(tx, modelName, version, reason, metadata);
      const module = { ...registry.module, onStarted: async () => void (await pipeline.resumePending()) };
      return { module, http: RegistryHttpModule.register(registry, pipeline) };
    },
  };
}

export const registryDefinition: ServiceDefinition = registryDefinitionWith();
