import type { Sql } from '@mgov/event-store';
import { findProjectedApiKey, type ProjectedApiKey } from '@mgov/service-runtime';

/** Where a process looks up presented API keys by id. */
export interface ApiKeyDirectory {
  find(keyId: string): Promise<ProjectedApiKey | null>;
}

/** A service's own `api-keys` projection: knows a key once the service consumed audit's event. */
export function projectedApiKeys(db: Sql, schema: string): ApiKeyDirectory {
  return { find: (keyId) => findProjectedApiKey(db, schema, keyId) };
}
