import { type DynamicModule, Module } from '@nestjs/common';
import type { ExperimentService } from '../application/experiment-service';
import { ExperimentController } from './experiment.controller';
import { MlflowArtifactsController } from './mlflow-artifacts.controller';
import { MlflowController } from './mlflow.controller';
import { EXPERIMENT_SERVICE } from './tokens';

@Module({})
export class ExperimentHttpModule {
  static register(experiments: ExperimentService): DynamicModule {
    return {
      module: ExperimentHttpModule,
      controllers: [ExperimentController, MlflowController, MlflowArtifactsController],
      providers: [{ provide: EXPERIMENT_SERVICE, useValue: experiments }],
    };
  }
}
