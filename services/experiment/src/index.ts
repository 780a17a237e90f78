export { experimentDefinition } from './experiment.definition';
