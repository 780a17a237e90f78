import { runStandalone } from '@mgov/http-edge';
import { registryDefinition } from './registry.definition';

void runStandalone(registryDefinition, { defaultPort: 8083 });
