import { dirname } from 'node:path';
import type { ServiceDefinition } from '@mgov/http-edge';
import { accessControl } from './access';
import { auditConfig } from './application/audit-config';
import { auditLedgerReactor } from './application/audit-ledger.reactor';
import { AuditQueries } from './application/audit-queries';
import { type DigestSigner, startDigestSigner } from './application/digest-signer';
import { AuditHttpModule } from './http/audit-http.module';

export const auditDefinition: ServiceDefinition = {
  name: 'audit',
  create(runtime, settings) {
    const config = auditConfig();
    // A generated signing key lives beside the platform's data unless a key file is configured.
    const digests = { ...config.digests, keyDir: process.env.MGOV_DATA_DIR ? config.digests.keyDir : dirname(settings.objectStoreDir) };
    const audit = new AuditQueries(runtime, { ...config, digests });
    const access = accessControl(runtime, settings);
    let signer: DigestSigner | undefined;
    return {
      module: {
        readModels: [...access.readModels],
        reactors: [auditLedgerReactor(runtime), ...access.reactors],
        onStarted: async () => {
          await access.onStarted?.();
          signer = startDigestSigner(runtime, digests);
        },
        onStopped: async () => signer?.stop(),
      },
      http: [AuditHttpModule.register(audit), access.http],
      apiKeys: access.apiKeys,
    };
  },
};
