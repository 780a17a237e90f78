import { Body, Controller, Get, HttpCode, Inject, Param, Post } from '@nestjs/common';
import type { CommandMetadata } from '@mgov/decider';
import { Metadata, Requires } from '@mgov/http-edge';
import type { PrincipalSuspensions } from '../application/principal-suspensions';

export const PRINCIPAL_SUSPENSIONS = Symbol('PrincipalSuspensions');

/**
 * Suspending a principal stops every credential it holds at once: its API keys and the tokens an
 * identity provider issued it (a JWT cannot be revoked on its own until it expires).
 */
@Controller('access/principals')
export class PrincipalsController {
  constructor(@Inject(PRINCIPAL_SUSPENSIONS) private readonly principals: PrincipalSuspensions) {}

  @Get('suspended')
  @Requires('admin')
  suspended() {
    return this.principals.list();
  }

  @Post(':subject/suspend')
  @HttpCode(200)
  @Requires('admin')
  suspend(@Param('subject') subject: string, @Body() body: { reason?: unknown }, @Metadata() metadata: CommandMetadata) {
    return this.principals.suspend(subject, body?.reason, metadata);
  }

  @Post(':subject/reinstate')
  @HttpCode(200)
  @Requires('admin')
  reinstate(@Param('subject') subject: string, @Body() body: { reason?: unknown }, @Metadata() metadata: CommandMetadata) {
    return this.principals.reinstate(subject, body?.reason, metadata);
  }
}
