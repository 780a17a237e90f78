import type { ColumnProfile, DatasetVersionClearedForTraining, DatasetVersionRegistered } from '@mgov/contracts';
import { assertNever, type CommandMetadata, type Decider, DomainError } from '@mgov/decider';

export type DatasetVersionCommand =
  | {
      readonly type: 'RegisterDatasetVersion';
      readonly datasetVersionId: string;
      readonly datasetName: string;
      readonly sourceIds: readonly string[];
      /** Sources the caller named that lineage does not know: refused. */
      readonly unknownSourceIds: readonly string[];
      readonly parentVersionIds: readonly string[];
      readonly transformation: string | null;
      readonly rowCount: number;
      readonly columns: readonly ColumnProfile[];
      readonly metadata: CommandMetadata;
    }
  | {
      readonly type: 'ClearForTraining';
      readonly datasetVersionId: string;
      readonly gate: string;
      readonly policyVersion: string;
      readonly metadata: CommandMetadata;
    };

export type DatasetVersionEvent = DatasetVersionRegistered | DatasetVersionClearedForTraining;

export type DatasetVersionState =
  | { readonly status: 'unknown' }
  | { readonly status: 'registered'; readonly datasetName: string }
  | { readonly status: 'eligible'; readonly datasetName: string };

function register(command: Extract<DatasetVersionCommand, { type: 'RegisterDatasetVersion' }>, state: DatasetVersionState) {
  // Content addressing: the same bytes are the same version, so a second upload is a no-op.
  if (state.status !== 'unknown') return [];
  if (command.sourceIds.length === 0) {
    throw new DomainError('LINEAGE.SOURCE_REQUIRED', 'a dataset version must name at least one registered source', 400);
  }
  if (command.unknownSourceIds.length > 0) {
    throw new DomainError('LINEAGE.UNKNOWN_SOURCE', `unknown source(s): ${command.unknownSourceIds.join(', ')}; register them first`, 422);
  }
  const { datasetVersionId, datasetName, sourceIds, parentVersionIds, transformation, rowCount, columns } = command;
  const event: DatasetVersionRegistered = {
    type: 'DatasetVersionRegistered',
    data: { datasetVersionId, datasetName, sourceIds: [...sourceIds], parentVersionIds: [...parentVersionIds], transformation, rowCount, columns: [...columns] },
  };
  return [event];
}

function clear(command: Extract<DatasetVersionCommand, { type: 'ClearForTraining' }>, state: DatasetVersionState) {
  if (state.status === 'unknown') {
    throw new DomainError('LINEAGE.DATASET_VERSION_NOT_FOUND', `dataset version ${command.datasetVersionId} does not exist`, 404);
  }
  if (state.status === 'eligible') return [];
  const { datasetVersionId, gate, policyVersion } = command;
  const event: DatasetVersionClearedForTraining = { type: 'DatasetVersionClearedForTraining', data: { datasetVersionId, gate, policyVersion } };
  return [event];
}

export const datasetVersionDecider: Decider<DatasetVersionCommand, DatasetVersionEvent, DatasetVersionState> = {
  initialState: () => ({ status: 'unknown' }),
  decide: (command, state) => {
    switch (command.type) {
      case 'RegisterDatasetVersion':
        return register(command, state);
      case 'ClearForTraining':
        return clear(command, state);
      default:
        return assertNever(command);
    }
  },
  evolve: (state, event) => {
    switch (event.type) {
      case 'DatasetVersionRegistered':
        return { status: 'registered', datasetName: event.data.datasetName };
      case 'DatasetVersionClearedForTraining':
        return state.status === 'unknown' ? state : { status: 'eligible', datasetName: state.datasetName };
      default:
        return assertNever(event);
    }
  },
};
