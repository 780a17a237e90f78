import type { EnvelopedEvent, MonitoringPolicyChanged } from '@mgov/contracts';
import type { CommandMetadata } from '@mgov/decider';
import type { Sql } from '@mgov/event-store';
import { type MonitoringPolicy, monitoringPolicyDecider, type PolicyChange } from '@mgov/monitoring-domain';
import type { ServiceRuntime } from '@mgov/service-runtime';
import { monitoringLinks } from './links';

export const policyStreamId = (modelName: string) => `monitoring-policy:${modelName}`;

/**
 * Monitoring policies per model name, each change a `MonitoringPolicyChanged` event and a new
 * version; windows record the version they were judged by. Read from the stream, not a read
 * model: the pipeline must judge the next window by the policy just changed.
 */
export function monitoringPolicies(runtime: ServiceRuntime) {
  return {
    async current(sql: Sql, modelName: string): Promise<MonitoringPolicy> {
      const history = await runtime.store.readStream(policyStreamId(modelName), { tx: sql });
      return history
        .map((stored) => runtime.codec.decodeEvent(stored.data) as unknown as MonitoringPolicyChanged)
        .reduce(monitoringPolicyDecider.evolve, monitoringPolicyDecider.initialState());
    },
    /** The current policies of several models, read in one round trip. */
    async currentOf(sql: Sql, modelNames: readonly string[]): Promise<Map<string, MonitoringPolicy>> {
      const streams = await runtime.store.readStreams(modelNames.map(policyStreamId), sql);
      return new Map(modelNames.map((modelName) => [modelName, streams.get(policyStreamId(modelName))!
        .map((stored) => runtime.codec.decodeEvent(stored.data) as unknown as MonitoringPolicyChanged)
        .reduce(monitoringPolicyDecider.evolve, monitoringPolicyDecider.initialState())]));
    },
    async history(modelName: string): Promise<Array<MonitoringPolicyChanged['data'] & { changedAt: number }>> {
      const history = await runtime.store.readStream(policyStreamId(modelName));
      return history.map((stored) => {
        const event = runtime.codec.decodeEvent(stored.data) as EnvelopedEvent<MonitoringPolicyChanged>;
        return { ...event.data, changedAt: event.envelope.occurredAt };
      });
    },
    async change(modelName: string, change: PolicyChange, metadata: CommandMetadata): Promise<MonitoringPolicy> {
      await runtime.commands.execute({
        streamId: policyStreamId(modelName), decider: monitoringPolicyDecider, links: monitoringLinks,
        command: { type: 'ChangeMonitoringPolicy', modelName, change, metadata },
      });
      return this.current(runtime.db, modelName);
    },
  };
}

export type MonitoringPolicies = ReturnType<typeof monitoringPolicies>;
