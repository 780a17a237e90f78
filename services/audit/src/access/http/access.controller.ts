import { Body, Controller, Get, Header, HttpCode, Inject, Param, Post } from '@nestjs/common';
import type { CommandMetadata } from '@mgov/decider';
import { Metadata, Requires } from '@mgov/http-edge';
import type { ApiKeyService, IssueApiKeyInput } from '../application/api-key-service';

export const API_KEY_SERVICE = Symbol('ApiKeyService');

@Controller('access/api-keys')
export class AccessController {
  constructor(@Inject(API_KEY_SERVICE) private readonly keys: ApiKeyService) {}

  /** The response is the only place the key's secret ever appears. */
  @Post()
  @HttpCode(201)
  @Header('Cache-Control', 'no-store')
  @Requires('admin')
  issue(@Body() body: IssueApiKeyInput, @Metadata() metadata: CommandMetadata) {
    return this.keys.issue(body, metadata);
  }

  @Get()
  @Requires('admin')
  list() {
    return this.keys.list();
  }

  @Post(':id/revoke')
  @HttpCode(200)
  @Requires('admin')
  revoke(@Param('id') id: string, @Body() body: { reason?: string }, @Metadata() metadata: CommandMetadata) {
    return this.keys.revoke(id, body?.reason ?? '', metadata);
  }
}
