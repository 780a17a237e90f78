import { Body, Controller, Get, HttpCode, Inject, Param, Post } from '@nestjs/common';
import type { CommandMetadata } from '@mgov/decider';
import { Metadata } from '@mgov/http-edge';
import { type LineageService, type RegisterDatasetVersionInput, type RegisterSourceInput } from '../application/lineage-service';

export const LINEAGE_SERVICE = Symbol('LineageService');

@Controller('lineage')
export class LineageController {
  constructor(@Inject(LINEAGE_SERVICE) private readonly lineage: LineageService) {}

  @Post('sources')
  @HttpCode(201)
  registerSource(@Body() body: RegisterSourceInput, @Metadata() metadata: CommandMetadata) {
    return this.lineage.registerSource(body, metadata);
  }

  @Get('sources')
  listSources() {
    return this.lineage.listSources();
  }

  @Post('dataset-versions')
  @HttpCode(201)
  async registerDatasetVersion(@Body() body: RegisterDatasetVersionInput, @Metadata() metadata: CommandMetadata) {
    const { datasetVersionId, events } = await this.lineage.registerDatasetVersion(body, metadata);
    return { datasetVersionId, created: events.length > 0 };
  }

  @Get('dataset-versions/:id')
  getDatasetVersion(@Param('id') id: string) {
    return this.lineage.getDatasetVersion(id);
  }

  @Post('dataset-versions/:id/clearance')
  @HttpCode(200)
  async clear(@Param('id') id: string, @Metadata() metadata: CommandMetadata) {
    const events = await this.lineage.clearForTraining(id, metadata);
    return { datasetVersionId: id, eligible: true, changed: events.length > 0 };
  }
}
