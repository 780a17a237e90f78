import { type ApiKeyIssued, type ApiKeyRevoked, Subject } from '@mgov/contracts';
import { isRole, KEY_ID_PATTERN, type Role, ROLES } from '@mgov/auth';
import { assertNever, type CommandMetadata, type Decider, DomainError } from '@mgov/decider';

/** Who may issue and revoke keys: admins, and the platform itself for the bootstrap admin. */
export const KEY_ADMIN_ROLES: readonly string[] = ['admin', 'system'];
const NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._@:-]{0,127}$/;
const SHA256_HEX = /^[0-9a-f]{64}$/;

export type IssueApiKey = {
  readonly type: 'IssueApiKey';
  readonly keyId: string;
  readonly name: string;
  readonly roles: readonly string[];
  /** sha256 of the secret, computed by the caller: the secret itself never reaches the domain. */
  readonly secretHash: string;
  readonly expiresAt: number | null;
  readonly metadata: CommandMetadata;
};

export type RevokeApiKey = {
  readonly type: 'RevokeApiKey';
  readonly keyId: string;
  readonly reason: string;
  readonly metadata: CommandMetadata;
};

export type ApiKeyCommand = IssueApiKey | RevokeApiKey;
export type ApiKeyEvent = ApiKeyIssued | ApiKeyRevoked;

interface IssuedKey {
  readonly keyId: string;
  readonly name: string;
  readonly roles: readonly Role[];
  readonly secretHash: string;
  readonly expiresAt: number | null;
}

export type ApiKeyState =
  | { readonly status: 'unknown' }
  | ({ readonly status: 'active' } & IssuedKey)
  | ({ readonly status: 'revoked' } & IssuedKey);

export const apiKeyStreamId = (keyId: string) => Subject.apiKey(keyId);

function requireKeyAdmin(metadata: CommandMetadata): void {
  if (!KEY_ADMIN_ROLES.includes(metadata.actor.role)) {
    throw new DomainError('ACCESS.FORBIDDEN_ROLE', `role ${metadata.actor.role} may not manage API keys; ask an admin`, 403);
  }
}

function issue(command: IssueApiKey, state: ApiKeyState): ApiKeyEvent[] {
  requireKeyAdmin(command.metadata);
  const { keyId, name, secretHash, expiresAt, metadata } = command;
  if (state.status !== 'unknown') {
    // Issuing the very same key again (the bootstrap admin on every start) changes nothing.
    if (state.secretHash === secretHash) return [];
    throw new DomainError('ACCESS.KEY_EXISTS', `an API key with id ${keyId} already exists; issue the new key under another id`, 409);
  }
  if (!KEY_ID_PATTERN.test(keyId)) throw new DomainError('ACCESS.INVALID_KEY_ID', `key id "${keyId}" must be 4–32 lower-case letters or digits`, 400);
  if (typeof name !== 'string' || !NAME_PATTERN.test(name)) {
    throw new DomainError('ACCESS.INVALID_NAME', 'name says who holds the key (it becomes the actor id): 1–128 letters, digits and . _ @ : -, starting with a letter or digit', 400);
  }
  if (!Array.isArray(command.roles) || command.roles.length === 0) {
    throw new DomainError('ACCESS.ROLES_REQUIRED', `a key needs at least one role: ${ROLES.join(', ')}`, 400);
  }
  const unknown = command.roles.filter((role) => !isRole(role));
  if (unknown.length > 0) throw new DomainError('ACCESS.UNKNOWN_ROLE', `unknown role(s) ${unknown.join(', ')}; use ${ROLES.join(', ')}`, 400);
  if (!SHA256_HEX.test(secretHash)) throw new DomainError('ACCESS.INVALID_HASH', 'secretHash must be a lower-case hex sha256', 400);
  if (expiresAt !== null && !(Number.isSafeInteger(expiresAt) && expiresAt > metadata.now)) {
    throw new DomainError('ACCESS.INVALID_EXPIRY', 'expiresAt must be a time in the future', 400);
  }
  const roles = [...new Set(command.roles)] as Role[];
  return [{ type: 'ApiKeyIssued', data: { keyId, name, roles, secretHash, hashAlgorithm: 'sha256', expiresAt } }];
}

function revoke(command: RevokeApiKey, state: ApiKeyState): ApiKeyEvent[] {
  requireKeyAdmin(command.metadata);
  if (state.status === 'unknown') throw new DomainError('ACCESS.KEY_NOT_FOUND', `there is no API key ${command.keyId}`, 404);
  if (state.status === 'revoked') return [];
  return [{ type: 'ApiKeyRevoked', data: { keyId: command.keyId, reason: command.reason } }];
}

export const apiKeyDecider: Decider<ApiKeyCommand, ApiKeyEvent, ApiKeyState> = {
  initialState: () => ({ status: 'unknown' }),
  decide: (command, state) => {
    switch (command.type) {
      case 'IssueApiKey':
        return issue(command, state);
      case 'RevokeApiKey':
        return revoke(command, state);
      default:
        return assertNever(command);
    }
  },
  evolve: (state, event) => {
    switch (event.type) {
      case 'ApiKeyIssued': {
        const { keyId, name, secretHash, expiresAt } = event.data;
        return { status: 'active', keyId, name, roles: event.data.roles.filter(isRole), secretHash, expiresAt };
      }
      case 'ApiKeyRevoked':
        return state.status === 'unknown' ? state : { ...state, status: 'revoked' };
      default:
        return assertNever(event);
    }
  },
};
