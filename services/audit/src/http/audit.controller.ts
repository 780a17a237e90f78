import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import type { CommandMetadata } from '@mgov/decider';
import { Metadata, Requires } from '@mgov/http-edge';
import { logger } from '@mgov/telemetry';
import type { AuditQueries } from '../application/audit-queries';
import { responseSink } from './response-sink';

export const AUDIT_QUERIES = Symbol('AuditQueries');

const log = logger('audit');
const PASSPORT_TYPES = { markdown: 'text/markdown; charset=utf-8', html: 'text/html; charset=utf-8' };

/** Governance staff's read API over the audit ledger; every route needs the governance-auditor role (or admin). */
@Controller('audit')
export class AuditController {
  constructor(@Inject(AUDIT_QUERIES) private readonly audit: AuditQueries) {}

  @Get('events')
  @Requires('governance-auditor')
  events(@Query() query: Record<string, unknown>, @Metadata() metadata: CommandMetadata) {
    return this.audit.events(query, metadata);
  }

  /** JSON Lines or CSV, streamed; once the first byte has left, a failure can only cut the stream. */
  @Get('export')
  @Requires('governance-auditor')
  async export(@Query() query: Record<string, unknown>, @Metadata() metadata: CommandMetadata, @Res() response: Response) {
    try {
      await this.audit.export(query, metadata, responseSink(response));
    } catch (error) {
      if (!response.headersSent) throw error;
      log.warn({ err: error }, 'audit export cut short');
      response.destroy();
    }
  }

  @Get('model-versions/:name/:version/chain')
  @Requires('governance-auditor')
  modelVersionChain(@Param('name') name: string, @Param('version') version: string, @Metadata() metadata: CommandMetadata) {
    return this.audit.modelVersionChain(name, version, metadata);
  }

  @Get('model-versions/:name/:version/passport')
  @Requires('governance-auditor')
  async passport(
    @Param('name') name: string, @Param('version') version: string, @Query() query: Record<string, unknown>,
    @Metadata() metadata: CommandMetadata, @Res({ passthrough: true }) response: Response,
  ) {
    const passport = await this.audit.passport(name, version, query, metadata);
    if (passport.format === 'json') return passport.body;
    response.setHeader('content-type', PASSPORT_TYPES[passport.format]);
    response.setHeader('x-content-type-options', 'nosniff');
    // The page is static: no script runs in it, whatever an event's data says.
    if (passport.format === 'html') response.setHeader('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'");
    return passport.body;
  }

  @Get('verify')
  @Requires('governance-auditor')
  verify(@Metadata() metadata: CommandMetadata) {
    return this.audit.verify(metadata);
  }

  @Get('digests/latest')
  @Requires('governance-auditor')
  latestDigest(@Metadata() metadata: CommandMetadata) {
    return this.audit.digests.latest(metadata);
  }

  @Get('digests/public-key')
  @Requires('governance-auditor')
  publicKey() {
    return this.audit.digests.publicKey();
  }

  @Post('verify-digest')
  @HttpCode(200)
  @Requires('governance-auditor')
  verifyDigest(@Body() body: unknown, @Metadata() metadata: CommandMetadata) {
    return this.audit.digests.verify(body, metadata);
  }

  @Get('access-log')
  @Requires('governance-auditor')
  accessLog(@Query() query: Record<string, unknown>, @Metadata() metadata: CommandMetadata) {
    return this.audit.accessLog(query, metadata);
  }
}
