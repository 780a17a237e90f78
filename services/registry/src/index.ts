export { registryDefinition } from './registry.definition';
