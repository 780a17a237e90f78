import type { ServiceDefinition } from '@mgov/http-edge';
import { ExperimentService } from './application/experiment-service';
import { ExperimentHttpModule } from './http/experiment-http.module';

export const experimentDefinition: ServiceDefinition = {
  name: 'experiment',
  create(runtime) {
    const experiments = new ExperimentService(runtime);
    return { module: experiments.module, http: ExperimentHttpModule.register(experiments) };
  },
};
