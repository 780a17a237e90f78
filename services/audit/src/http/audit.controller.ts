import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import type { CommandMetadata } from '@mgov/decider';
import { Metadata } from '@mgov/http-edge';
import type { AuditQueries } from '../application/audit-queries';

export const AUDIT_QUERIES = Symbol('AuditQueries');

@Controller('audit')
export class AuditController {
  constructor(@Inject(AUDIT_QUERIES) private readonly audit: AuditQueries) {}

  @Get('events')
  events(@Query() query: Record<string, unknown>, @Metadata() metadata: CommandMetadata) {
    return this.audit.events(query, metadata);
  }

  @Get('model-versions/:name/:version/chain')
  modelVersionChain(@Param('name') name: string, @Param('version') version: string, @Metadata() metadata: CommandMetadata) {
    return this.audit.modelVersionChain(name, version, metadata);
  }

  @Get('verify')
  verify(@Metadata() metadata: CommandMetadata) {
    return this.audit.verify(metadata);
  }

  @Get('access-log')
  accessLog(@Query() query: Record<string, unknown>, @Metadata() metadata: CommandMetadata) {
    return this.audit.accessLog(query, metadata);
  }
}
