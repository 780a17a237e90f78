import { runStandalone } from '@mgov/http-edge';
import { experimentDefinition } from './experiment.definition';

void runStandalone(experimentDefinition, { defaultPort: 8082 });
