import type { DomainEvent } from '@mgov/contracts';
import type { Decider } from '@mgov/decider';
import type { ServiceRuntime } from '@mgov/service-runtime';

/**
 * An aggregate's current state from its own stream: what a use case checks before expensive work
 * (reading a file) so that it can refuse early. The decider checks again when the command runs.
 */
export async function currentState<C, E extends DomainEvent, S>(runtime: ServiceRuntime, streamId: string, decider: Decider<C, E, S>): Promise<S> {
  const history = await runtime.store.readStream(streamId);
  return history.map((stored) => runtime.codec.decodeEvent(stored.data) as unknown as E).reduce(decider.evolve, decider.initialState());
}

export const streams = {
  datasetVersion: (id: string) => `dataset-version:${id}`,
  dataset: (name: string) => `dataset:${name}`,
  source: (id: string) => `source:${id}`,
  sourceLicense: (id: string) => `source-license:${id}`,
  pseudonymizationKey: 'pseudonymization-key',
} as const;

/** The named sources whose license was revoked (the only event their license stream ever holds). */
export async function revokedSources(runtime: ServiceRuntime, sourceIds: readonly string[]): Promise<string[]> {
  const revoked: string[] = [];
  for (const id of sourceIds) if ((await runtime.store.streamVersion(streams.sourceLicense(id))) > 0) revoked.push(id);
  return revoked;
}
