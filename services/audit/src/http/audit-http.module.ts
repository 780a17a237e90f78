import { type DynamicModule, Module } from '@nestjs/common';
import type { AuditQueries } from '../application/audit-queries';
import { AUDIT_QUERIES, AuditController } from './audit.controller';

@Module({})
export class AuditHttpModule {
  static register(audit: AuditQueries): DynamicModule {
    return { module: AuditHttpModule, controllers: [AuditController], providers: [{ provide: AUDIT_QUERIES, useValue: audit }] };
  }
}
