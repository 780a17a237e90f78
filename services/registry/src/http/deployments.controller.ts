import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query } from '@nestjs/common';
import type { CommandMetadata } from '@mgov/decider';
import { Metadata, Requires } from '@mgov/http-edge';
import type { DeploymentPipeline, DeploymentRequestInput } from '../deployment/deployment-pipeline';
import { READERS } from './registry.controller';

export const DEPLOYMENT_PIPELINE = Symbol('DeploymentPipeline');

/** The model deployment pipeline: digest-pinned manifests handed to a deployer, with the full history. */
@Controller('registry')
export class DeploymentsController {
  constructor(@Inject(DEPLOYMENT_PIPELINE) private readonly pipeline: DeploymentPipeline) {}

  /** Deploys an approved version (`{version, environment: staging|production, reason?}`); candidates are refused. */
  @Post('models/:name/deployments')
  @HttpCode(201)
  @Requires('ml-engineer')
  deploy(@Param('name') name: string, @Body() body: DeploymentRequestInput, @Metadata() metadata: CommandMetadata) {
    return this.pipeline.request(name, body ?? ({} as DeploymentRequestInput), metadata);
  }

  /** What was deployed where and when, for one model (`?environment=` narrows it). */
  @Get('models/:name/deployments')
  @Requires(...READERS)
  history(@Param('name') name: string, @Query('environment') environment?: string) {
    return this.pipeline.history({ modelName: name, environment: environment || undefined });
  }

  /** What serves each environment now. */
  @Get('models/:name/serving')
  @Requires(...READERS)
  serving(@Param('name') name: string) {
    return this.pipeline.serving(name);
  }

  /** Every deployment of every model (`?environment=`). */
  @Get('deployments')
  @Requires(...READERS)
  all(@Query('environment') environment?: string) {
    return this.pipeline.history({ environment: environment || undefined });
  }
}
