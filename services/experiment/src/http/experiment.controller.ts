import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query } from '@nestjs/common';
import type { CommandMetadata } from '@mgov/decider';
import { Metadata, Requires } from '@mgov/http-edge';
import type { CompleteRunInput, ExperimentService, StartRunInput } from '../application/experiment-service';
import type { FairnessInput } from '../application/fairness';
import { EXPERIMENT_SERVICE, EXPERIMENTERS, READERS } from './tokens';

/** MGov's own experiment API: runs bound to eligible data, fairness on an evaluation set, listings for the CLI. */
@Controller('experiment')
export class ExperimentController {
  constructor(@Inject(EXPERIMENT_SERVICE) private readonly experiments: ExperimentService) {}

  @Post('runs')
  @HttpCode(201)
  @Requires(...EXPERIMENTERS)
  startRun(@Body() body: StartRunInput, @Metadata() metadata: CommandMetadata) {
    return this.experiments.startRun(body ?? ({} as StartRunInput), metadata);
  }

  @Post('runs/:id/complete')
  @HttpCode(200)
  @Requires(...EXPERIMENTERS)
  completeRun(@Param('id') id: string, @Body() body: CompleteRunInput, @Metadata() metadata: CommandMetadata) {
    return this.experiments.completeRun(id, body ?? ({} as CompleteRunInput), metadata);
  }

  /**
   * `{predictions, labels, protectedAttributes: {<name>: [...]}, positive?, step?}`: computes
   * fairness.<attribute>.<metric> with the `mgov bias` library and logs them on the run.
   */
  @Post('runs/:id/fairness')
  @HttpCode(200)
  @Requires(...EXPERIMENTERS)
  fairness(@Param('id') id: string, @Body() body: FairnessInput, @Metadata() metadata: CommandMetadata) {
    return this.experiments.logFairness(id, body, metadata);
  }

  @Get('datasets/:id/eligibility')
  @Requires(...READERS)
  eligibility(@Param('id') id: string) {
    return this.experiments.eligibility(id);
  }

  @Get('experiments')
  @Requires(...READERS)
  listExperiments() {
    return this.experiments.queries.searchExperiments({ maxResults: 1000 });
  }

  /** `?experiment=<name>&limit=N`: newest first, refused runs included. */
  @Get('runs')
  @Requires(...READERS)
  async listRuns(@Query('experiment') experiment?: string, @Query('limit') limit?: string) {
    return { runs: await this.experiments.queries.listRuns({ experimentName: experiment || undefined, limit: limit ? Number(limit) || 100 : 100 }) };
  }

  @Get('runs/:id')
  @Requires(...READERS)
  getRun(@Param('id') id: string) {
    return this.experiments.queries.run(id);
  }
}
