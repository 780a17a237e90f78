import type { ServiceDefinition } from '@mgov/http-edge';
import { RegistryService } from './application/registry-service';
import { RegistryHttpModule } from './http/registry-http.module';

export const registryDefinition: ServiceDefinition = {
  name: 'registry',
  create(runtime) {
    const registry = new RegistryService(runtime);
    return { module: registry.module, http: RegistryHttpModule.register(registry) };
  },
};
