export { registryDefinition, registryDefinitionWith, type RegistryOptions } from './registry.definition';
export { GitOpsDirectoryDeployer, WebhookDeployer, type ModelDeployer } from './deployment/deployers';
export { ManifestRenderer, PINNED_IMAGE } from './deployment/manifest-renderer';
