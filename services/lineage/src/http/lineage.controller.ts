import { Body, Controller, Get, HttpCode, Inject, Param, Post, Res } from '@nestjs/common';
import type { Response } from 'express';
import type { CommandMetadata } from '@mgov/decider';
import { Metadata, Requires } from '@mgov/http-edge';
import type { LineageService, RegisterSourceInput } from '../application/lineage-service';
import { LINEAGE_SERVICE, READERS } from './lineage-http.tokens';

export { LINEAGE_SERVICE } from './lineage-http.tokens';

interface RowsBody {
  readonly datasetName: string;
  readonly sourceIds: readonly string[];
  readonly parentVersionIds?: readonly string[];
  readonly transformation?: string | null;
  readonly rows: unknown;
}

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

  /** Small datasets as JSON rows, stored as JSON Lines through the same path as a file upload. */
  @Post('dataset-versions')
  @Requires('data-steward')
  async registerDatasetVersion(@Body() body: RowsBody, @Metadata() metadata: CommandMetadata, @Res({ passthrough: true }) response: Response) {
    const result = await this.lineage.uploads.uploadRows({ ...body, sourceIds: body?.sourceIds ?? [] }, metadata);
    response.status(result.created ? 201 : 200);
    return result;
  }

  @Get('dataset-versions/:id')
  @Requires(...READERS)
  getDatasetVersion(@Param('id') id: string) {
    return this.lineage.getDatasetVersion(id);
  }
}
