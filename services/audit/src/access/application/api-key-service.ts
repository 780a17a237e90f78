import { randomBytes } from 'node:crypto';
import { type ApiKeyToken, formatApiKey, hashApiKeySecret } from '@mgov/auth';
import { type CommandMetadata, DomainError } from '@mgov/decider';
import { apiKeyDecider, type ApiKeyEvent, type ApiKeyState, apiKeyStreamId } from '@mgov/access-domain';
import type { ProjectedApiKey, ServiceRuntime } from '@mgov/service-runtime';
import { type ApiKeySummary, apiKeysReadModel } from './api-keys-read-model';

export interface IssueApiKeyInput {
  readonly name: string;
  readonly roles: readonly string[];
  /** ISO 8601 or epoch milliseconds; absent or null: the key does not expire. */
  readonly expiresAt?: string | number | null;
}

/** The one response that carries the key: MGov keeps only the secret's hash. */
export interface IssuedApiKey {
  readonly keyId: string;
  readonly name: string;
  readonly roles: readonly string[];
  readonly expiresAt: string | null;
  readonly token: string;
  readonly notice: string;
}

/** A fresh key: a 64-bit id to find it by and a 256-bit secret to prove it. */
export function newApiKeyToken(keyId = randomBytes(8).toString('hex')): ApiKeyToken {
  return { keyId, secret: randomBytes(32).toString('base64url') };
}

/** API keys as an event-sourced write model: issue, revoke, list, and the authoritative lookup. */
export class ApiKeyService {
  private readonly keys;

  constructor(private readonly runtime: ServiceRuntime) {
    this.keys = apiKeysReadModel(runtime.schema);
  }

  get readModel() {
    return this.keys.readModel;
  }

  async issue(input: IssueApiKeyInput, metadata: CommandMetadata): Promise<IssuedApiKey> {
    if (!input || typeof input !== 'object') throw new DomainError('ACCESS.INVALID_REQUEST', 'send {"name": ..., "roles": [...]} as JSON', 400);
    const token = newApiKeyToken();
    const expiresAt = parseExpiry(input.expiresAt);
    await this.issueToken(token, { name: input.name, roles: input.roles, expiresAt }, metadata);
    return {
      keyId: token.keyId, name: input.name, roles: [...new Set(input.roles)], expiresAt: expiresAt === null ? null : new Date(expiresAt).toISOString(),
      token: formatApiKey(token), notice: 'store this token now: MGov keeps only its hash and cannot show it again',
    };
  }

  /** Issues a key whose secret the caller chose (the bootstrap admin); the same key again is a no-op. */
  async issueToken(token: ApiKeyToken, key: { name: string; roles: readonly string[]; expiresAt: number | null }, metadata: CommandMetadata): Promise<ApiKeyEvent[]> {
    const events = await this.runtime.commands.execute({
      streamId: apiKeyStreamId(token.keyId),
      decider: apiKeyDecider,
      links: () => [],
      command: {
        type: 'IssueApiKey', keyId: token.keyId, name: key.name, roles: key.roles, secretHash: hashApiKeySecret(token.secret),
        expiresAt: key.expiresAt, metadata,
      },
    });
    return events as ApiKeyEvent[];
  }

  async revoke(keyId: string, reason: string, metadata: CommandMetadata): Promise<{ keyId: string; revoked: true; changed: boolean }> {
    const events = await this.runtime.commands.execute({
      streamId: apiKeyStreamId(keyId),
      decider: apiKeyDecider,
      links: () => [],
      command: { type: 'RevokeApiKey', keyId, reason: typeof reason === 'string' ? reason : '', metadata },
    });
    return { keyId, revoked: true, changed: events.length > 0 };
  }

  list(): Promise<ApiKeySummary[]> {
    return this.keys.list(this.runtime.db, this.runtime.clock.now());
  }

  activeSystemKeys(): Promise<string[]> {
    return this.keys.activeSystemKeys(this.runtime.db);
  }

  anySystemKey(): Promise<boolean> {
    return this.keys.anySystemKey(this.runtime.db);
  }

  /** Folded from the write model itself, so an issue or revocation counts from the next request. */
  async state(keyId: string): Promise<ApiKeyState> {
    const history = await this.runtime.store.readStream(apiKeyStreamId(keyId));
    return history.map((stored) => this.runtime.codec.decodeEvent(stored.data) as ApiKeyEvent).reduce(apiKeyDecider.evolve, apiKeyDecider.initialState());
  }

  async find(keyId: string): Promise<ProjectedApiKey | null> {
    const state = await this.state(keyId);
    if (state.status === 'unknown') return null;
    const { name, roles, secretHash, expiresAt } = state;
    return { keyId, name, roles, secretHash, expiresAt, revoked: state.status === 'revoked' };
  }
}

function parseExpiry(value: unknown): number | null {
  if (value === undefined || value === null) return null;
  const at = typeof value === 'number' ? value : typeof value === 'string' ? Date.parse(value) : Number.NaN;
  if (!Number.isSafeInteger(at)) throw new DomainError('ACCESS.INVALID_EXPIRY', 'expiresAt must be an ISO 8601 time or epoch milliseconds', 400);
  return at;
}
