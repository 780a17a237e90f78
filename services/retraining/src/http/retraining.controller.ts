import { Controller, Get, Inject, Query } from '@nestjs/common';
import { Requires } from '@mgov/http-edge';
import type { RetrainingService } from '../application/retraining-service';

export const RETRAINING_SERVICE = Symbol('RetrainingService');

@Controller('retraining')
export class RetrainingController {
  constructor(@Inject(RETRAINING_SERVICE) private readonly retraining: RetrainingService) {}

  @Get('cases')
  @Requires('model-reviewer', 'ml-engineer', 'governance-auditor')
  cases(@Query('model') model?: string) {
    return this.retraining.listCases(model);
  }
}
