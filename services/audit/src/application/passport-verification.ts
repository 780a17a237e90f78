import type { AvroCodec } from '@mgov/contracts';
import type { DigestDocument, PassportVerification } from '@mgov/audit-domain';
import type { Sql } from '@mgov/event-store';
import { checkDigestAnchor } from './ledger-digests';
import { ledgerSchema } from './ledger.sql';
import type { LedgerRow } from './ledger-row';
import { columnMismatch, LEDGER_GENESIS, ownHashProblem } from './entry-checks';
import type { SigningKey } from './signing-key';

const NOTE = 'Checked for this passport: each of its events (own hash, searchable columns, links to the entries before and after it) '
  + 'and the newest signed digest at or after them. GET /audit/verify recomputes the whole chain.';

interface Neighbours {
  position: string;
  before_hash: Buffer | null;
  after_prev: Buffer | null;
}

/**
 * Verification that costs as much as the passport, not as the ledger: the passport's own entries
 * and their links, anchored to a signed digest whose hash must still be in the ledger.
 */
export async function passportVerification(tx: Sql, schema: string, rows: readonly LedgerRow[], codec: AvroCodec, key: () => SigningKey): Promise<PassportVerification> {
  const s = ledgerSchema(schema);
  const neighbours = new Map((await tx.query<Neighbours>(
    `SELECT p.position,
            (SELECT b.hash FROM ${s}.ledger b WHERE b.position < p.position ORDER BY b.position DESC LIMIT 1) AS before_hash,
            (SELECT a.prev_hash FROM ${s}.ledger a WHERE a.position > p.position ORDER BY a.position LIMIT 1) AS after_prev
       FROM unnest($1::bigint[]) AS p(position)`,
    [rows.map((row) => row.position)],
  )).map((n) => [n.position, n]));
  const [head] = await tx.query<{ last_position: string; last_hash: Buffer }>(`SELECT last_position, last_hash FROM ${s}.ledger_head WHERE singleton`);
  let firstBroken: { position: string; reason: string } | undefined;
  for (const row of rows) {
    const reason = ownHashProblem(row) ?? columnMismatch(row, codec) ?? linkProblem(row, neighbours.get(row.position), head);
    if (reason) {
      firstBroken = { position: row.position, reason };
      break;
    }
  }
  const events = { checked: rows.length, ok: firstBroken === undefined, ...(firstBroken ? { firstBroken } : {}) };
  const digest = rows.length === 0 ? null : await anchor(tx, s, schema, rows[rows.length - 1].position, key);
  return { ok: events.ok && (digest?.ok ?? true), events, digest, note: NOTE };
}

function linkProblem(row: LedgerRow, around: Neighbours | undefined, head: { last_position: string; last_hash: Buffer } | undefined): string | null {
  if (!row.prev_hash.equals(around?.before_hash ?? LEDGER_GENESIS)) return 'prev_hash is not the hash of the entry before it';
  if (around?.after_prev) return around.after_prev.equals(row.hash) ? null : 'the entry after it does not chain onto its hash';
  return head?.last_position === row.position && head.last_hash.equals(row.hash) ? null : 'it is the last entry but the chain head does not sit on it';
}

async function anchor(tx: Sql, s: string, schema: string, lastPosition: string, key: () => SigningKey): Promise<PassportVerification['digest']> {
  const [row] = await tx.query<{ document: string }>(`SELECT document FROM ${s}.digests WHERE position >= $1 ORDER BY position DESC LIMIT 1`, [lastPosition]);
  if (!row) return null;
  const document = JSON.parse(row.document) as DigestDocument;
  const summary = { position: document.position, at: document.at, keyId: document.keyId };
  try {
    return { ...summary, ...(await checkDigestAnchor(tx, schema, key(), document)) };
  } catch (error) {
    return { ...summary, ok: false, reason: `cannot check the digest: ${(error as Error).message}` };
  }
}
