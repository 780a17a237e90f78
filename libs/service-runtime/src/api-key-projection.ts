import type { Sql } from '@mgov/event-store';
import { Topics } from '@mgov/messaging';
import type { Reactor } from './service-module';

/** A key as every service knows it: enough to verify a presented key, nothing more. */
export interface ProjectedApiKey {
  readonly keyId: string;
  readonly name: string;
  readonly roles: readonly string[];
  readonly secretHash: string;
  readonly expiresAt: number | null;
  readonly revoked: boolean;
}

interface ApiKeyRow {
  key_id: string;
  name: string | null;
  roles: string[] | null;
  secret_hash: string | null;
  expires_at_ms: string | null;
  revoked: boolean;
}

const table = (schema: string) => `${schema}.api_keys_v1`;
const suspensions = (schema: string) => `${schema}.suspended_principals_v1`;

/**
 * The `api-keys` reactor the kernel gives every service: API keys issued and revoked by audit
 * (`mgov.audit.events`), projected into the service's own schema so it verifies keys locally.
 * A revocation that overtakes its issue still wins: the row keeps `revoked` once set. Suspended
 * principals (every credential of a person or integration, JWTs included) are projected beside them.
 */
export function apiKeyProjection(schema: string): Reactor {
  const t = table(schema);
  return {
    name: 'api-keys',
    topics: [Topics.events('audit')],
    async setup(tx: Sql) {
      await tx.query(`CREATE TABLE IF NOT EXISTS ${t} (
        key_id text PRIMARY KEY, name text, roles jsonb, secret_hash text, expires_at_ms bigint, revoked boolean NOT NULL DEFAULT false)`);
      await tx.query(`CREATE TABLE IF NOT EXISTS ${suspensions(schema)} (subject text PRIMARY KEY, reason text NOT NULL, suspended_at_ms bigint NOT NULL)`);
    },
    async handle(tx, message) {
      if (message.kind !== 'event') return;
      const { event } = message;
      if (event.type === 'ApiKeyIssued') {
        const d = event.data;
        await tx.query(
          `INSERT INTO ${t} (key_id, name, roles, secret_hash, expires_at_ms) VALUES ($1, $2, $3, $4, $5)
           ON CONFLICT (key_id) DO UPDATE SET name = excluded.name, roles = excluded.roles, secret_hash = excluded.secret_hash, expires_at_ms = excluded.expires_at_ms`,
          [d.keyId, d.name, JSON.stringify(d.roles), d.secretHash, d.expiresAt],
        );
      } else if (event.type === 'ApiKeyRevoked') {
        await tx.query(`INSERT INTO ${t} (key_id, revoked) VALUES ($1, true) ON CONFLICT (key_id) DO UPDATE SET revoked = true`, [event.data.keyId]);
      } else if (event.type === 'PrincipalSuspended') {
        await tx.query(
          `INSERT INTO ${suspensions(schema)} (subject, reason, suspended_at_ms) VALUES ($1, $2, $3) ON CONFLICT (subject) DO UPDATE SET reason = excluded.reason, suspended_at_ms = excluded.suspended_at_ms`,
          [event.data.subject, event.data.reason, event.envelope.occurredAt],
        );
      } else if (event.type === 'PrincipalReinstated') {
        // Per-stream order holds on the topic (keyed by stream), so a reinstatement follows its suspension.
        await tx.query(`DELETE FROM ${suspensions(schema)} WHERE subject = $1`, [event.data.subject]);
      }
    },
  };
}

/** The projected key, or null when this service has not (yet) seen it issued. */
export async function findProjectedApiKey(db: Sql, schema: string, keyId: string): Promise<ProjectedApiKey | null> {
  const [row] = await db.query<ApiKeyRow>(`SELECT key_id, name, roles, secret_hash, expires_at_ms, revoked FROM ${table(schema)} WHERE key_id = $1`, [keyId]);
  if (!row || row.secret_hash === null) return null;
  return {
    keyId: row.key_id, name: row.name ?? '', roles: row.roles ?? [], secretHash: row.secret_hash,
    expiresAt: row.expires_at_ms === null ? null : Number(row.expires_at_ms), revoked: row.revoked,
  };
}


/** Why a principal is suspended, or null when it is not (as far as this service has seen). */
export async function findSuspension(db: Sql, schema: string, subject: string): Promise<string | null> {
  const [row] = await db.query<{ reason: string }>(`SELECT reason FROM ${suspensions(schema)} WHERE subject = $1`, [subject]);
  return row?.reason ?? null;
}

/** Every suspended principal this service knows of. */
export function listSuspensions(db: Sql, schema: string): Promise<Array<{ subject: string; reason: string; suspended_at_ms: string }>> {
  return db.query(`SELECT subject, reason, suspended_at_ms FROM ${suspensions(schema)} ORDER BY subject`);
}
