export { lineageDefinition } from './lineage.definition';
