import { Controller, Get, Req } from '@nestjs/common';
import type { Request } from 'express';
import { ROLES } from '@mgov/auth';
import { Requires } from './access-decorators';
import { accessOf } from './principal';

@Controller('access')
export class WhoAmIController {
  /** Who the presented credential speaks for, as this service sees it (any role). */
  @Get('whoami')
  @Requires(...ROLES)
  whoami(@Req() request: Request) {
    const { principal } = accessOf(request)!;
    return { id: principal.id, roles: principal.roles, via: principal.via, keyId: principal.keyId ?? null };
  }
}
