import { runStandalone } from '@mgov/http-edge';
import { auditDefinition } from './audit.definition';

void runStandalone(auditDefinition, { defaultPort: 8086 });
