import { type DynamicModule, Module } from '@nestjs/common';
import type { ApiKeyService } from '../application/api-key-service';
import type { PrincipalSuspensions } from '../application/principal-suspensions';
import { API_KEY_SERVICE, AccessController } from './access.controller';
import { PRINCIPAL_SUSPENSIONS, PrincipalsController } from './principals.controller';

@Module({})
export class AccessHttpModule {
  static register(keys: ApiKeyService, principals: PrincipalSuspensions): DynamicModule {
    return {
      module: AccessHttpModule,
      controllers: [AccessController, PrincipalsController],
      providers: [{ provide: API_KEY_SERVICE, useValue: keys }, { provide: PRINCIPAL_SUSPENSIONS, useValue: principals }],
    };
  }
}
