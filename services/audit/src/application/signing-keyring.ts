import { createPublicKey, type KeyObject, sign, verify } from 'node:crypto';
import type { Sql } from '@mgov/event-store';
import { ledgerSchema } from './ledger.sql';
import type { SigningKey } from './signing-key';

/** A key that signed digests before the current one, as the current key vouches for it. */
export interface PredecessorKey {
  readonly keyId: string;
  readonly publicKeyPem: string;
}

/** The keys whose digests this ledger accepts: the current one and those it vouched for. */
export interface TrustedKeys {
  readonly current: SigningKey;
  readonly byId: ReadonlyMap<string, KeyObject>;
  readonly predecessors: readonly PredecessorKey[];
  /** Set when the stored vouch does not verify: only the current key is trusted then. */
  readonly problem?: string;
}

const vouchText = (keyId: string, predecessors: readonly PredecessorKey[]) =>
  JSON.stringify({ keyId, predecessors: predecessors.map(({ keyId: id, publicKeyPem }) => ({ keyId: id, publicKeyPem })) });

/**
 * Records the current key the first time it signs, vouching — with its own signature — for every key
 * recorded before it. After a rotation (a new MGOV_AUDIT_SIGNING_KEY_FILE), digests signed by earlier
 * keys still verify, and nobody without the current private key can slip a key of their own into
 * that list: a row inserted behind the ledger's back is vouched for by no key we hold.
 */
export async function recordSigningKey(tx: Sql, schema: string, key: SigningKey): Promise<void> {
  const s = ledgerSchema(schema);
  const [known] = await tx.query(`SELECT 1 FROM ${s}.signing_keys WHERE key_id = $1`, [key.keyId]);
  if (known) return;
  const predecessors = (await tx.query<{ key_id: string; public_key_pem: string }>(`SELECT key_id, public_key_pem FROM ${s}.signing_keys ORDER BY recorded_at, key_id`))
    .map((row) => ({ keyId: row.key_id, publicKeyPem: row.public_key_pem }));
  const vouch = sign(null, Buffer.from(vouchText(key.keyId, predecessors)), key.privateKey).toString('base64');
  await tx.query(
    `INSERT INTO ${s}.signing_keys (key_id, public_key_pem, predecessors, vouch) VALUES ($1, $2, $3, $4) ON CONFLICT (key_id) DO NOTHING`,
    [key.keyId, key.publicKeyPem, JSON.stringify(predecessors), vouch],
  );
}

/** The current key and the predecessors its stored vouch names, checked against its signature. */
export async function trustedKeys(tx: Sql, schema: string, key: SigningKey): Promise<TrustedKeys> {
  const only = (problem?: string): TrustedKeys => ({ current: key, byId: new Map([[key.keyId, key.publicKey]]), predecessors: [], ...(problem ? { problem } : {}) });
  const [row] = await tx.query<{ predecessors: string; vouch: string }>(`SELECT predecessors, vouch FROM ${ledgerSchema(schema)}.signing_keys WHERE key_id = $1`, [key.keyId]);
  if (!row) return only();
  const predecessors = JSON.parse(row.predecessors) as PredecessorKey[];
  if (!verify(null, Buffer.from(vouchText(key.keyId, predecessors)), key.publicKey, Buffer.from(row.vouch, 'base64'))) {
    return only('the stored list of earlier signing keys is not vouched for by the current key: it was changed');
  }
  const byId = new Map<string, KeyObject>([[key.keyId, key.publicKey]]);
  for (const predecessor of predecessors) byId.set(predecessor.keyId, createPublicKey(predecessor.publicKeyPem));
  return { current: key, byId, predecessors };
}
