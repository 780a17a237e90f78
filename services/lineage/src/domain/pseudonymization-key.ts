import type { PseudonymizationKeyActivated } from '@mgov/contracts';
import { assertNever, type CommandMetadata, type Decider } from '@mgov/decider';

export type PseudonymizationKeyCommand = {
  readonly type: 'UsePseudonymizationKey';
  /** A short hash of the key (never the key), from the secret provider. */
  readonly keyId: string;
  readonly keySource: string;
  readonly metadata: CommandMetadata;
};

export type PseudonymizationKeyState = { readonly keyId: string | null };

/**
 * The key the privacy gate pseudonymizes with, on the stream `pseudonymization-key`: the first use of
 * a key id that is not the current one is recorded as an activation (the first key, or a rotation).
 */
export const pseudonymizationKeyDecider: Decider<PseudonymizationKeyCommand, PseudonymizationKeyActivated, PseudonymizationKeyState> = {
  initialState: () => ({ keyId: null }),
  decide: (command, state) => {
    switch (command.type) {
      case 'UsePseudonymizationKey':
        return state.keyId === command.keyId
          ? []
          : [{ type: 'PseudonymizationKeyActivated', data: { keyId: command.keyId, previousKeyId: state.keyId, keySource: command.keySource } }];
      default:
        return assertNever(command.type);
    }
  },
  evolve: (_state, event) => ({ keyId: event.data.keyId }),
};
