export { auditDefinition } from './audit.definition';
