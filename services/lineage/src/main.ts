import { runStandalone } from '@mgov/http-edge';
import { lineageDefinition } from './lineage.definition';

void runStandalone(lineageDefinition, { defaultPort: 8081 });
