import type { Sql } from '@mgov/event-store';
import { findProjectedApiKey, findSuspension, type ProjectedApiKey } from '@mgov/service-runtime';

/** Where a process looks up presented API keys by id, and whether a principal is suspended. */
export interface ApiKeyDirectory {
  find(keyId: string): Promise<ProjectedApiKey | null>;
  /** Why the principal (an API key's name, a token's subject) is suspended; null when it is not. */
  suspension(subject: string): Promise<string | null>;
}

/** A service's own `api-keys` projection: knows a key once the service consumed audit's event. */
export function projectedApiKeys(db: Sql, schema: string): ApiKeyDirectory {
  return { find: (keyId) => findProjectedApiKey(db, schema, keyId), suspension: (subject) => findSuspension(db, schema, subject) };
}
