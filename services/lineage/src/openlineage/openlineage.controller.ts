import { Body, Controller, HttpCode, Inject, Post } from '@nestjs/common';
import type { CommandMetadata } from '@mgov/decider';
import { Metadata, Requires } from '@mgov/http-edge';
import type { OpenLineageIntake } from './openlineage-intake';

export const OPENLINEAGE_INTAKE = Symbol('OpenLineageIntake');

/**
 * The OpenLineage HTTP endpoint at the path every OpenLineage client posts to by default. Integrations
 * (Airflow, Spark, dbt) hold an API key of an `ml-engineer` (pipelines that train) or a `data-steward`
 * (pipelines that prepare data); both already may record lineage facts.
 */
@Controller('api/v1/lineage')
export class OpenLineageController {
  constructor(@Inject(OPENLINEAGE_INTAKE) private readonly intake: OpenLineageIntake) {}

  @Post()
  @HttpCode(201)
  @Requires('ml-engineer', 'data-steward')
  receive(@Body() body: unknown, @Metadata() metadata: CommandMetadata) {
    return this.intake.receive(body, metadata);
  }
}
