import { Controller, Get, Inject, Res } from '@nestjs/common';
import type { Response } from 'express';
import { Public } from './access-decorators';

export const READINESS = Symbol('Readiness');
export interface Readiness {
  ready(): boolean;
  services(): readonly string[];
}

@Controller()
export class HealthController {
  constructor(@Inject(READINESS) private readonly readiness: Readiness) {}

  /** 200 once every service in this process has started, 503 before. */
  @Get('health')
  @Public()
  health(@Res() response: Response) {
    const ready = this.readiness.ready();
    response.status(ready ? 200 : 503).json({ status: ready ? 'ok' : 'starting', services: this.readiness.services() });
  }
}
