import type { ServiceDefinition } from '@mgov/http-edge';
import { auditLedgerReactor } from './application/audit-ledger.reactor';
import { AuditQueries } from './application/audit-queries';
import { AuditHttpModule } from './http/audit-http.module';

export const auditDefinition: ServiceDefinition = {
  name: 'audit',
  create(runtime) {
    const audit = new AuditQueries(runtime);
    return { module: { readModels: [], reactors: [auditLedgerReactor(runtime)] }, http: AuditHttpModule.register(audit) };
  },
};
