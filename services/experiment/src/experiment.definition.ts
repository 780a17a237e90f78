import type { ServiceDefinition } from '@mgov/http-edge';
import { objectStoreFromEnvironment } from '@mgov/object-store';
import { ExperimentService } from './application/experiment-service';
import { ExperimentHttpModule } from './http/experiment-http.module';

export const experimentDefinition: ServiceDefinition = {
  name: 'experiment',
  create(runtime, settings) {
    const maxBytes = Number(process.env.MGOV_ARTIFACT_MAX_BYTES ?? 5 * 1024 ** 3);
    const experiments = new ExperimentService(runtime, objectStoreFromEnvironment(settings.objectStoreDir), maxBytes);
    return { module: experiments.module, http: ExperimentHttpModule.register(experiments) };
  },
};
