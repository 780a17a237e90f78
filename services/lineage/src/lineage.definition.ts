import type { ServiceDefinition } from '@mgov/http-edge';
import { LineageService } from './application/lineage-service';
import { lineageGraphFeature } from './graph/lineage-graph.feature';
import { LineageHttpModule } from './http/lineage-http.module';

export const lineageDefinition: ServiceDefinition = {
  name: 'lineage',
  create(runtime, settings) {
    const lineage = new LineageService(runtime, {
      objectStoreDir: settings.objectStoreDir, datasetMaxBytes: settings.datasetMaxBytes, pseudonymizationKey: settings.pseudonymizationKey,
    });
    const graph = lineageGraphFeature(runtime);
    return {
      module: { ...lineage.module, readModels: [...lineage.module.readModels, ...graph.readModels], reactors: [...lineage.module.reactors, ...graph.reactors] },
      http: [LineageHttpModule.register(lineage), graph.http],
    };
  },
};
