import type { ServiceDefinition } from '@mgov/http-edge';
import { RetrainingService } from './application/retraining-service';
import { RetrainingHttpModule } from './http/retraining-http.module';

export const retrainingDefinition: ServiceDefinition = {
  name: 'retraining',
  create(runtime) {
    const retraining = new RetrainingService(runtime);
    return { module: retraining.module, http: RetrainingHttpModule.register(retraining) };
  },
};
