import { runStandalone } from '@mgov/http-edge';
import { monitoringDefinition } from './monitoring.definition';

void runStandalone(monitoringDefinition, { defaultPort: 8084 });
