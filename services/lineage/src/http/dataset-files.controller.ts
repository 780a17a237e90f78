import { Controller, Get, Inject, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiConsumes, ApiProduces } from '@nestjs/swagger';
import { pipeline } from 'node:stream';
import type { Request, Response } from 'express';
import type { CommandMetadata } from '@mgov/decider';
import { Metadata, Requires } from '@mgov/http-edge';
import type { LineageService } from '../application/lineage-service';
import { LINEAGE_SERVICE, READERS } from './lineage-http.tokens';
import { jsonHeader, listParam, requestBody } from './request-body';

/** Dataset bytes in and out: uploads streamed into the object store, downloads streamed out of it, verified. */
@Controller('lineage')
export class DatasetFilesController {
  constructor(@Inject(LINEAGE_SERVICE) private readonly lineage: LineageService) {}

  /**
   * `?format=csv|jsonl|parquet&source=<id>[&source=…][&parent=<id>…][&transformation=…]`, the file as the raw
   * body; policies may come along as JSON in `X-MGov-Privacy-Policy` and `X-MGov-Bias-Policy`.
   * 201 with a new version, 200 (`created: false`) when the same bytes are stored already.
   */
  @Post('datasets/:name/versions')
  @Requires('data-steward')
  @ApiConsumes('text/csv', 'application/x-ndjson', 'application/vnd.apache.parquet', 'application/octet-stream')
  async upload(
    @Param('name') name: string, @Query() query: Record<string, unknown>, @Req() request: Request,
    @Res({ passthrough: true }) response: Response, @Metadata() metadata: CommandMetadata,
  ) {
    const body = requestBody(request);
    try {
      const length = request.headers['content-length'];
      const result = await this.lineage.uploads.upload({
        datasetName: name, format: listParam(query.format)[0] ?? '', sourceIds: listParam(query.source), parentVersionIds: listParam(query.parent),
        transformation: listParam(query.transformation)[0] ?? null, privacyPolicy: jsonHeader(request, 'x-mgov-privacy-policy'),
        biasPolicy: jsonHeader(request, 'x-mgov-bias-policy'), content: body.stream, declaredBytes: length === undefined ? null : Number(length),
      }, metadata);
      response.status(result.created ? 201 : 200);
      return result;
    } catch (error) {
      body.discardRest();
      throw error;
    }
  }

  /** The version's bytes, verified against its id; anyone but a data steward only gets privacy-cleared versions. */
  @Get('dataset-versions/:id/content')
  @Requires(...READERS)
  @ApiProduces('text/csv', 'application/x-ndjson', 'application/vnd.apache.parquet')
  async content(@Param('id') id: string, @Metadata() metadata: CommandMetadata, @Res() response: Response) {
    const content = await this.lineage.contents.open(id, metadata);
    response.status(200).set({
      'content-type': content.mediaType, 'content-length': String(content.bytes), etag: `"${id}"`,
      'content-disposition': `attachment; filename="${content.fileName}"`, 'x-mgov-sha256': id,
    });
    // Bytes that stop matching on the way cut the response short instead of completing it.
    pipeline(content.stream, response, (error) => {
      if (error) response.destroy(error);
    });
  }
}
