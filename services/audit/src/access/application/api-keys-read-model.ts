import type { Sql } from '@mgov/event-store';
import type { ReadModel } from '@mgov/service-runtime';

export interface ApiKeySummary {
  readonly keyId: string;
  readonly name: string;
  readonly roles: readonly string[];
  readonly status: 'active' | 'revoked' | 'expired';
  readonly issuedAt: string;
  readonly issuedBy: string;
  readonly expiresAt: string | null;
  readonly revokedAt: string | null;
  readonly revokedBy: string | null;
}

interface Row {
  key_id: string;
  name: string;
  roles: string[];
  issued_at: Date | string;
  issued_by: string;
  issued_by_role: string;
  expires_at: Date | string | null;
  revoked_at: Date | string | null;
  revoked_by: string | null;
}

const iso = (value: Date | string | null) => (value === null ? null : new Date(value).toISOString());

/** The keys admins list: who holds which roles, and since when. It holds no hash and no secret. */
export function apiKeysReadModel(schema: string) {
  const table = `${schema}.access_api_keys_v1`;
  const readModel: ReadModel = {
    name: 'access-api-keys',
    version: 1,
    async setup(tx: Sql) {
      await tx.query(`CREATE TABLE IF NOT EXISTS ${table} (
        key_id text PRIMARY KEY, name text NOT NULL, roles jsonb NOT NULL, issued_at timestamptz NOT NULL,
        issued_by text NOT NULL, issued_by_role text NOT NULL, expires_at timestamptz,
        revoked_at timestamptz, revoked_by text, revoke_reason text)`);
    },
    async reset(tx: Sql) {
      await tx.query(`TRUNCATE ${table}`);
    },
    async handle(tx: Sql, event) {
      const at = new Date(event.envelope.occurredAt).toISOString();
      const { actor } = event.envelope;
      if (event.type === 'ApiKeyIssued') {
        const d = event.data;
        await tx.query(
          `INSERT INTO ${table} (key_id, name, roles, issued_at, issued_by, issued_by_role, expires_at) VALUES ($1,$2,$3,$4,$5,$6,$7)
           ON CONFLICT (key_id) DO NOTHING`,
          [d.keyId, d.name, JSON.stringify(d.roles), at, actor.id, actor.role, d.expiresAt === null ? null : new Date(d.expiresAt).toISOString()],
        );
      } else if (event.type === 'ApiKeyRevoked') {
        await tx.query(`UPDATE ${table} SET revoked_at = $2, revoked_by = $3, revoke_reason = $4 WHERE key_id = $1 AND revoked_at IS NULL`, [
          event.data.keyId, at, actor.id, event.data.reason,
        ]);
      }
    },
  };

  return {
    readModel,
    async list(db: Sql, now: number): Promise<ApiKeySummary[]> {
      const rows = await db.query<Row>(`SELECT * FROM ${table} ORDER BY issued_at, key_id`);
      return rows.map((row) => ({
        keyId: row.key_id,
        name: row.name,
        roles: row.roles,
        status: row.revoked_at ? 'revoked' : row.expires_at && new Date(row.expires_at).getTime() <= now ? 'expired' : 'active',
        issuedAt: iso(row.issued_at) as string,
        issuedBy: row.issued_by,
        expiresAt: iso(row.expires_at),
        revokedAt: iso(row.revoked_at),
        revokedBy: row.revoked_by,
      }));
    },
    /** Active keys the platform issued itself (bootstrap admins). */
    async activeSystemKeys(db: Sql): Promise<string[]> {
      const rows = await db.query<{ key_id: string }>(`SELECT key_id FROM ${table} WHERE issued_by_role = 'system' AND revoked_at IS NULL`);
      return rows.map((row) => row.key_id);
    },
    async anySystemKey(db: Sql): Promise<boolean> {
      const rows = await db.query(`SELECT 1 FROM ${table} WHERE issued_by_role = 'system' LIMIT 1`);
      return rows.length > 0;
    },
  };
}
