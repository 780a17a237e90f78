import { type DynamicModule, Module } from '@nestjs/common';
import type { RegistryService } from '../application/registry-service';
import { REGISTRY_SERVICE, RegistryController } from './registry.controller';

@Module({})
export class RegistryHttpModule {
  static register(registry: RegistryService): DynamicModule {
    return { module: RegistryHttpModule, controllers: [RegistryController], providers: [{ provide: REGISTRY_SERVICE, useValue: registry }] };
  }
}
