import { type CommandMetadata, DomainError } from '@mgov/decider';
import {
  type BiasPolicy, checkedBiasPolicy, checkedPrivacyPolicy, datasetPolicyDecider, type DatasetPolicyState, declaredColumns, type PrivacyPolicy,
} from '@mgov/lineage-domain';
import type { ServiceRuntime } from '@mgov/service-runtime';
import { lineageLinks } from '../application/links';
import { currentState, streams } from '../application/write-model';

const DATASET_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

/** A dataset name fit for a stream id and a URL path segment, or LINEAGE.INVALID_DATASET_NAME. */
export function checkedDatasetName(name: unknown): string {
  if (typeof name === 'string' && DATASET_NAME.test(name)) return name;
  throw new DomainError('LINEAGE.INVALID_DATASET_NAME', 'a dataset name is 1–128 letters, digits, ".", "_" or "-", starting with a letter or digit', 400);
}

/** Refuses policies that name columns a version does not have (LINEAGE.UNKNOWN_COLUMN). */
export function assertColumnsExist(policies: { privacy?: PrivacyPolicy | null; bias?: BiasPolicy | null }, columns: readonly string[], what: string): void {
  const unknown = declaredColumns(policies).filter((column) => !columns.includes(column));
  if (unknown.length > 0) {
    throw new DomainError('LINEAGE.UNKNOWN_COLUMN', `the dataset policy names column(s) ${unknown.join(', ')}, which ${what} does not have (it has ${columns.join(', ')}); fix the policy or the data`, 422);
  }
}

/** A dataset's privacy and bias policies: set by data stewards, applied by the gates. */
export class DatasetPolicies {
  constructor(private readonly runtime: ServiceRuntime) {}

  current(datasetName: string): Promise<DatasetPolicyState> {
    return currentState(this.runtime, streams.dataset(datasetName), datasetPolicyDecider);
  }

  async setPrivacy(datasetName: string, policy: unknown, metadata: CommandMetadata) {
    const name = checkedDatasetName(datasetName);
    const events = await this.runtime.commands.execute({
      streamId: streams.dataset(name), decider: datasetPolicyDecider, links: lineageLinks,
      command: { type: 'SetPrivacyPolicy', datasetName: name, policy: policy as PrivacyPolicy, metadata },
    });
    const state = await this.current(name);
    return { datasetName: name, policyVersion: state.privacy?.version ?? null, changed: events.length > 0, policy: state.privacy?.policy ?? null };
  }

  async setBias(datasetName: string, policy: unknown, metadata: CommandMetadata) {
    const name = checkedDatasetName(datasetName);
    const events = await this.runtime.commands.execute({
      streamId: streams.dataset(name), decider: datasetPolicyDecider, links: lineageLinks,
      command: { type: 'SetBiasPolicy', datasetName: name, policy: policy as BiasPolicy, metadata },
    });
    const state = await this.current(name);
    return { datasetName: name, policyVersion: state.bias?.version ?? null, changed: events.length > 0, policy: state.bias?.policy ?? null };
  }

  /** Policies sent with an upload, checked (shape) before a byte is read. */
  parse(input: { privacy?: unknown; bias?: unknown }): { privacy: PrivacyPolicy | null; bias: BiasPolicy | null } {
    return {
      privacy: input.privacy === undefined ? null : checkedPrivacyPolicy(input.privacy as Partial<PrivacyPolicy>),
      bias: input.bias === undefined ? null : checkedBiasPolicy(input.bias as Partial<BiasPolicy>),
    };
  }
}
