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
  /** MGOV_DATASET_MAX_BYTES: the largest dataset upload, in bytes (default 2 GiB). */
  readonly datasetMaxBytes?: number;
  /**
   * The privacy gate's pseudonymization key: MGOV_PSEUDONYMIZATION_KEY, or the file named by
   * MGOV_PSEUDONYMIZATION_KEY_FILE (re-read at each use, so replacing it rotates the key). Never kept
   * beside the data.
   */
  readonly pseudonymizationKey?: { readonly value?: string | null; readonly file?: string | null; readonly generateIfMissing?: boolean };
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
