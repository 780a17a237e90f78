import { runStandalone } from '@mgov/http-edge';
import { retrainingDefinition } from './retraining.definition';

void runStandalone(retrainingDefinition, { defaultPort: 8085 });
