export { monitoringDefinition } from './monitoring.definition';
