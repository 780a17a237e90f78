import type { DynamicModule } from '@nestjs/common';
import type { ServiceModule, ServiceName, ServiceRuntime } from '@mgov/service-runtime';
import type { ApiKeyDirectory } from './api-key-directory';

/** Settings the composition root hands every service. */
export interface PlatformSettings {
  /** Where content-addressed objects (dataset bytes, artifacts) live. */
  readonly objectStoreDir: string;
  /** Predictions per monitoring window (the skeleton's count-based tumbling window). */
  readonly monitoringWindowSize: number;
  /** MGOV_BOOTSTRAP_TOKEN: the bootstrap admin's API key (used by the service that issues keys). */
  readonly bootstrapToken?: string | null;
  /** Where one-time notices for the operator go, such as a generated bootstrap token (default: stderr). */
  readonly notice?: (text: string) => void;
}

/** What a service contributes to its process. */
export interface CreatedService {
  readonly module: ServiceModule;
  readonly http: DynamicModule | readonly DynamicModule[];
  /**
   * The authoritative API key lookup, from the service that owns the keys' write model (audit).
   * A process hosting it verifies keys against it, so a revocation holds from the next request.
   */
  readonly apiKeys?: ApiKeyDirectory;
}

/** A service as a composition root sees it: its plumbing module and its HTTP module. */
export interface ServiceDefinition {
  readonly name: ServiceName;
  create(runtime: ServiceRuntime, settings: PlatformSettings): CreatedService;
}
