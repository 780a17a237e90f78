import { type DynamicModule, Module } from '@nestjs/common';
import type { ExperimentService } from '../application/experiment-service';
import { EXPERIMENT_SERVICE, ExperimentController } from './experiment.controller';

@Module({})
export class ExperimentHttpModule {
  static register(experiments: ExperimentService): DynamicModule {
    return { module: ExperimentHttpModule, controllers: [ExperimentController], providers: [{ provide: EXPERIMENT_SERVICE, useValue: experiments }] };
  }
}
