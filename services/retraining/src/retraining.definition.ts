import type { ServiceDefinition } from '@mgov/http-edge';
import { objectStoreFromEnvironment } from '@mgov/object-store';
import { retrainingConfig } from './application/retraining-config';
import { RetrainingService } from './application/retraining-service';
import { RetrainingHttpModule } from './http/retraining-http.module';

export const retrainingDefinition: ServiceDefinition = {
  name: 'retraining',
  create(runtime, settings) {
    const retraining = new RetrainingService(runtime, retrainingConfig(), objectStoreFromEnvironment(settings.objectStoreDir));
    return { module: retraining.module, http: RetrainingHttpModule.register(retraining) };
  },
};
