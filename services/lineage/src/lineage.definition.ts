import type { ServiceDefinition } from '@mgov/http-edge';
import { LineageService } from './application/lineage-service';
import { LineageHttpModule } from './http/lineage-http.module';

export const lineageDefinition: ServiceDefinition = {
  name: 'lineage',
  create(runtime, settings) {
    const lineage = new LineageService(runtime, settings.objectStoreDir);
    return { module: lineage.module, http: LineageHttpModule.register(lineage) };
  },
};
