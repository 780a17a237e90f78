import type { ServiceDefinition } from '@mgov/http-edge';
import { accessControl } from './access';
import { auditLedgerReactor } from './application/audit-ledger.reactor';
import { AuditQueries } from './application/audit-queries';
import { AuditHttpModule } from './http/audit-http.module';

export const auditDefinition: ServiceDefinition = {
  name: 'audit',
  create(runtime, settings) {
    const audit = new AuditQueries(runtime);
    const access = accessControl(runtime, settings);
    return {
      module: { readModels: [...access.readModels], reactors: [auditLedgerReactor(runtime), ...access.reactors], onStarted: access.onStarted },
      http: [AuditHttpModule.register(audit), access.http],
      apiKeys: access.apiKeys,
    };
  },
};
