export { retrainingDefinition } from './retraining.definition';
