import { Body, Controller, Get, HttpCode, Inject, Param, Post } from '@nestjs/common';
import type { CommandMetadata } from '@mgov/decider';
import { Metadata, Requires } from '@mgov/http-edge';
import { GRAPH_READERS } from '../graph/lineage-graph.controller';
import type { SourceLicenses } from './source-licenses';

export const SOURCE_LICENSES = Symbol('SourceLicenses');

@Controller('lineage/sources')
export class SourceLicensesController {
  constructor(@Inject(SOURCE_LICENSES) private readonly licenses: SourceLicenses) {}

  @Post(':id/license-revocation')
  @HttpCode(200)
  @Requires('data-steward')
  revoke(@Param('id') id: string, @Body() body: { reason?: string }, @Metadata() metadata: CommandMetadata) {
    return this.licenses.revoke(id, body, metadata);
  }

  @Get(':id/impact')
  @Requires(...GRAPH_READERS)
  impact(@Param('id') id: string) {
    return this.licenses.impact(id);
  }
}
