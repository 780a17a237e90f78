import { Body, Controller, Get, HttpCode, Inject, Param, Post } from '@nestjs/common';
import type { CommandMetadata } from '@mgov/decider';
import { Metadata, Requires, type Role } from '@mgov/http-edge';
import { type LineageService, type RegisterDatasetVersionInput, type RegisterSourceInput } from '../application/lineage-service';

export const LINEAGE_SERVICE = Symbol('LineageService');
const READERS: Role[] = ['data-steward', 'data-scientist', 'ml-engineer', 'model-reviewer', 'governance-auditor'];

@Controller('lineage')
export class LineageController {
  constructor(@Inject(LINEAGE_SERVICE) private readonly lineage: LineageService) {}

  @Post('sources')
  @HttpCode(201)
  @Requires('data-steward')
  registerSource(@Body() body: RegisterSourceInput, @Metadata() metadata: CommandMetadata) {
    return this.lineage.registerSource(body, metadata);
  }

  @Get('sources')
  @Requires(...READERS)
  listSources() {
    return this.lineage.listSources();
  }

  @Post('dataset-versions')
  @HttpCode(201)
  @Requires('data-steward')
  async registerDatasetVersion(@Body() body: RegisterDatasetVersionInput, @Metadata() metadata: CommandMetadata) {
    const { datasetVersionId, events } = await this.lineage.registerDatasetVersion(body, metadata);
    return { datasetVersionId, created: events.length > 0 };
  }

  @Get('dataset-versions/:id')
  @Requires(...READERS)
  getDatasetVersion(@Param('id') id: string) {
    return this.lineage.getDatasetVersion(id);
  }

  @Post('dataset-versions/:id/clearance')
  @HttpCode(200)
  @Requires('data-steward')
  async clear(@Param('id') id: string, @Metadata() metadata: CommandMetadata) {
    const events = await this.lineage.clearForTraining(id, metadata);
    return { datasetVersionId: id, eligible: true, changed: events.length > 0 };
  }
}
