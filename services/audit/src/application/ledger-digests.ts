import { sign, verify } from 'node:crypto';
import type { AvroCodec } from '@mgov/contracts';
import { canonicalClaim, DIGEST_ALGORITHM, type DigestClaim, type DigestDocument } from '@mgov/audit-domain';
import type { Sql } from '@mgov/event-store';
import { ledgerSchema } from './ledger.sql';
import { type BrokenEntry, verifyLedgerIn } from './ledger-verification';
import type { SigningKey } from './signing-key';
import { recordSigningKey, type TrustedKeys, trustedKeys } from './signing-keyring';

export type SignOutcome =
  | { readonly signed: DigestDocument }
  | { readonly skipped: 'empty ledger' | 'head unchanged since the last digest' }
  | { readonly refused: BrokenEntry };

export interface DigestVerification {
  readonly ok: boolean;
  readonly signature: 'valid' | 'invalid' | 'unknown-key';
  readonly position: string;
  /** The first entry that no longer holds, when the signature is valid but the ledger is not. */
  readonly firstBroken?: BrokenEntry;
  readonly reason?: string;
}

const claimBytes = (claim: DigestClaim) => Buffer.from(canonicalClaim(claim), 'utf8');

/**
 * Signs the ledger head in the caller's repeatable-read transaction, unless it has not moved. The
 * entries since the previous digest are verified first: a digest never vouches for a chain that
 * was already broken when it was signed.
 */
export async function signLedgerDigest(tx: Sql, schema: string, key: SigningKey, options: { codec: AvroCodec; now: number }): Promise<SignOutcome> {
  const s = ledgerSchema(schema);
  const [head] = await tx.query<{ last_position: string; last_hash: Buffer }>(`SELECT last_position, last_hash FROM ${s}.ledger_head WHERE singleton`);
  if (!head || head.last_position === '0') return { skipped: 'empty ledger' };
  const [last] = await tx.query<{ position: string; head_hash: Buffer }>(`SELECT position, head_hash FROM ${s}.digests ORDER BY position DESC LIMIT 1`);
  if (last?.position === head.last_position) return { skipped: 'head unchanged since the last digest' };
  const from = last ? { position: last.position, hash: last.head_hash } : undefined;
  const checked = await verifyLedgerIn(tx, schema, { codec: options.codec, through: head.last_position, from });
  if (!checked.ok) return { refused: checked.firstBroken };
  if (checked.lastPosition !== head.last_position || checked.headHash !== head.last_hash.toString('hex')) {
    return { refused: { position: head.last_position, reason: 'the chain head does not sit on the last ledger entry' } };
  }
  await recordSigningKey(tx, schema, key);
  const claim: DigestClaim = { version: 1, ledger: schema, position: head.last_position, headHash: checked.headHash, at: new Date(options.now).toISOString() };
  const document: DigestDocument = {
    ...claim, algorithm: DIGEST_ALGORITHM, keyId: key.keyId, signature: sign(null, claimBytes(claim), key.privateKey).toString('base64'),
  };
  const inserted = await tx.query(
    `INSERT INTO ${s}.digests (position, head_hash, signed_at, key_id, document) VALUES ($1, $2, $3::timestamptz, $4, $5)
     ON CONFLICT (position) DO NOTHING RETURNING id`,
    [claim.position, head.last_hash, claim.at, key.keyId, JSON.stringify(document)],
  );
  return inserted.length === 1 ? { signed: document } : { skipped: 'head unchanged since the last digest' };
}

export async function latestDigest(tx: Sql, schema: string): Promise<DigestDocument | null> {
  const [row] = await tx.query<{ document: string }>(`SELECT document FROM ${ledgerSchema(schema)}.digests ORDER BY position DESC LIMIT 1`);
  return row ? (JSON.parse(row.document) as DigestDocument) : null;
}

/** The signature alone: made over exactly this claim by our key, or by an earlier key it vouches for. */
export function checkSignature(document: DigestDocument, keys: TrustedKeys): Pick<DigestVerification, 'signature' | 'reason'> {
  const publicKey = keys.byId.get(document.keyId);
  if (!publicKey) {
    const known = [keys.current.keyId, ...keys.predecessors.map((p) => p.keyId)].join(', ');
    return { signature: 'unknown-key', reason: `signed by key ${document.keyId}, which is neither this ledger's key nor one it vouches for (${known}; GET /audit/digests/public-key)${keys.problem ? `; ${keys.problem}` : ''}` };
  }
  return verify(null, claimBytes(document), publicKey, Buffer.from(document.signature, 'base64'))
    ? { signature: 'valid' }
    : { signature: 'invalid', reason: 'the signature does not match the document: a signed field was changed' };
}

/**
 * Checks a digest against the ledger now: the signature, then the chain recomputed from the
 * genesis through the signed position, whose hash must still be the signed one. An edit made
 * after signing shows as the first broken position; a chain rewritten and re-hashed shows as a
 * different hash at the signed position.
 */
export async function verifyDigestDocument(tx: Sql, schema: string, key: SigningKey, document: DigestDocument, codec: AvroCodec): Promise<DigestVerification> {
  const { position } = document;
  const signature = checkSignature(document, await trustedKeys(tx, schema, key));
  if (signature.signature !== 'valid') return { ok: false, position, ...signature };
  if (document.ledger !== schema) return { ok: false, position, signature: 'valid', reason: `a digest of ledger ${document.ledger}, not of ${schema}` };
  const checked = await verifyLedgerIn(tx, schema, { codec, through: position });
  if (!checked.ok) return { ok: false, position, signature: 'valid', firstBroken: checked.firstBroken };
  if (checked.lastPosition !== position) {
    return { ok: false, position, signature: 'valid', firstBroken: { position, reason: 'the signed entry is no longer in the ledger: entries were removed' } };
  }
  if (checked.headHash !== document.headHash) {
    const reason = 'the entry at the signed position no longer has the signed hash: the chain was rewritten and re-hashed at or before it';
    return { ok: false, position, signature: 'valid', firstBroken: { position, reason } };
  }
  return { ok: true, position, signature: 'valid' };
}

/** The cheap check for a passport: signature, and the hash stored at the signed position. */
export async function checkDigestAnchor(tx: Sql, schema: string, key: SigningKey, document: DigestDocument): Promise<{ ok: boolean; reason?: string }> {
  const signature = checkSignature(document, await trustedKeys(tx, schema, key));
  if (signature.signature !== 'valid') return { ok: false, reason: signature.reason };
  const [row] = await tx.query<{ hash: Buffer }>(`SELECT hash FROM ${ledgerSchema(schema)}.ledger WHERE position = $1`, [document.position]);
  if (!row) return { ok: false, reason: 'the signed entry is no longer in the ledger' };
  return row.hash.toString('hex') === document.headHash ? { ok: true } : { ok: false, reason: 'the signed entry no longer has the signed hash' };
}
