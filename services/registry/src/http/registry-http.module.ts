import { type DynamicModule, Module } from '@nestjs/common';
import type { RegistryService } from '../application/registry-service';
import type { DeploymentPipeline } from '../deployment/deployment-pipeline';
import { DEPLOYMENT_PIPELINE, DeploymentsController } from './deployments.controller';
import { MlflowRegistryController } from './mlflow-registry.controller';
import { PoliciesController } from './policies.controller';
import { REGISTRY_SERVICE, RegistryController } from './registry.controller';

@Module({})
export class RegistryHttpModule {
  static register(registry: RegistryService, pipeline: DeploymentPipeline): DynamicModule {
    return {
      module: RegistryHttpModule,
      controllers: [RegistryController, PoliciesController, DeploymentsController, MlflowRegistryController],
      providers: [{ provide: REGISTRY_SERVICE, useValue: registry }, { provide: DEPLOYMENT_PIPELINE, useValue: pipeline }],
    };
  }
}
