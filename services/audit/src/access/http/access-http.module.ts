import { type DynamicModule, Module } from '@nestjs/common';
import type { ApiKeyService } from '../application/api-key-service';
import { API_KEY_SERVICE, AccessController } from './access.controller';

@Module({})
export class AccessHttpModule {
  static register(keys: ApiKeyService): DynamicModule {
    return { module: AccessHttpModule, controllers: [AccessController], providers: [{ provide: API_KEY_SERVICE, useValue: keys }] };
  }
}
