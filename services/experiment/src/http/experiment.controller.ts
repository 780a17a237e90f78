import { Body, Controller, Get, HttpCode, Inject, Param, Post } from '@nestjs/common';
import type { CommandMetadata } from '@mgov/decider';
import { Metadata, Requires, type Role } from '@mgov/http-edge';
import type { CompleteRunInput, ExperimentService, StartRunInput } from '../application/experiment-service';

export const EXPERIMENT_SERVICE = Symbol('ExperimentService');
const EXPERIMENTERS: Role[] = ['data-scientist', 'ml-engineer'];
const READERS: Role[] = [...EXPERIMENTERS, 'data-steward', 'model-reviewer', 'governance-auditor'];

@Controller('experiment')
export class ExperimentController {
  constructor(@Inject(EXPERIMENT_SERVICE) private readonly experiments: ExperimentService) {}

  @Post('runs')
  @HttpCode(201)
  @Requires(...EXPERIMENTERS)
  startRun(@Body() body: StartRunInput, @Metadata() metadata: CommandMetadata) {
    return this.experiments.startRun(body, metadata);
  }

  @Post('runs/:id/complete')
  @HttpCode(200)
  @Requires(...EXPERIMENTERS)
  completeRun(@Param('id') id: string, @Body() body: CompleteRunInput, @Metadata() metadata: CommandMetadata) {
    return this.experiments.completeRun(id, body, metadata);
  }

  @Get('datasets/:id/eligibility')
  @Requires(...READERS)
  eligibility(@Param('id') id: string) {
    return this.experiments.eligibility(id);
  }

  @Get('runs/:id')
  @Requires(...READERS)
  getRun(@Param('id') id: string) {
    return this.experiments.getRun(id);
  }
}
