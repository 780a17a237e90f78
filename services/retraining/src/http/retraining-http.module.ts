import { type DynamicModule, Module } from '@nestjs/common';
import type { RetrainingService } from '../application/retraining-service';
import { RETRAINING_SERVICE, RetrainingController } from './retraining.controller';

@Module({})
export class RetrainingHttpModule {
  static register(retraining: RetrainingService): DynamicModule {
    return { module: RetrainingHttpModule, controllers: [RetrainingController], providers: [{ provide: RETRAINING_SERVICE, useValue: retraining }] };
  }
}
