import type { DynamicModule } from '@nestjs/common';
import type { ServiceModule, ServiceName, ServiceRuntime } from '@mgov/service-runtime';

/** Settings the composition root hands every service. */
export interface PlatformSettings {
  /** Where content-addressed objects (dataset bytes, artifacts) live. */
  readonly objectStoreDir: string;
  /** Predictions per monitoring window (the skeleton's count-based tumbling window). */
  readonly monitoringWindowSize: number;
}

/** A service as a composition root sees it: its plumbing module and its HTTP module. */
export interface ServiceDefinition {
  readonly name: ServiceName;
  create(runtime: ServiceRuntime, settings: PlatformSettings): { readonly module: ServiceModule; readonly http: DynamicModule };
}
