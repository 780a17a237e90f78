import type { DynamicModule } from '@nestjs/common';
import type { ApiKeyDirectory, PlatformSettings } from '@mgov/http-edge';
import type { ReadModel, Reactor, ServiceRuntime } from '@mgov/service-runtime';
import { ApiKeyService } from './application/api-key-service';
import { bootstrapToken, ensureBootstrapAdmin } from './application/bootstrap-admin';
import { PrincipalSuspensions } from './application/principal-suspensions';
import { AccessHttpModule } from './http/access-http.module';

/** Access control's share of the audit service. */
export interface AccessControl {
  readonly readModels: readonly ReadModel[];
  readonly reactors: readonly Reactor[];
  readonly http: DynamicModule;
  /** The authoritative key lookup (the write model), for the process hosting audit. */
  readonly apiKeys: ApiKeyDirectory;
  /** Seeds the bootstrap admin once the read models have caught up. */
  readonly onStarted: () => Promise<void>;
}

/** API keys, event-sourced in audit's log: admins issue and revoke them; every service verifies them. */
export function accessControl(runtime: ServiceRuntime, settings: PlatformSettings): AccessControl {
  const token = bootstrapToken(settings.bootstrapToken);
  const keys = new ApiKeyService(runtime);
  const principals = new PrincipalSuspensions(runtime);
  return {
    readModels: [keys.readModel],
    reactors: [],
    http: AccessHttpModule.register(keys, principals),
    apiKeys: { find: (keyId) => keys.find(keyId), suspension: (subject) => principals.suspension(subject) },
    onStarted: () => ensureBootstrapAdmin(keys, {
      token,
      notice: settings.notice ?? ((text) => void process.stderr.write(text)),
      now: () => runtime.clock.now(),
      newId: runtime.newId,
    }),
  };
}

export { ApiKeyService } from './application/api-key-service';
export { BOOTSTRAP_ACTOR, GENERATED_BOOTSTRAP_KEY_ID } from './application/bootstrap-admin';
