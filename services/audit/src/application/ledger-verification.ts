import { createHash } from 'node:crypto';
import { type AvroCodec, avroCodec, EVENT_CONTEXT, type EnvelopedEvent } from '@mgov/contracts';
import type { Database, Sql } from '@mgov/event-store';
import { LEDGER_COLUMNS, type LedgerRow, traceIdOf } from './ledger-row';
import { ledgerSchema } from './ledger.sql';

/** The prev_hash of the ledger's first entry. */
export const LEDGER_GENESIS: Buffer = Buffer.alloc(32);

const LAST_POSITION = '9223372036854775807';

export interface BrokenEntry {
  readonly position: string;
  readonly reason: string;
}

export type LedgerVerification =
  | { readonly ok: true; readonly entries: number; readonly lastPosition: string; readonly headHash: string }
  | { readonly ok: false; readonly firstBroken: BrokenEntry };

export interface VerifyOptions {
  readonly codec?: AvroCodec;
  readonly pageSize?: number;
  /** Verify only the prefix up to this position (the chain head is then not compared). */
  readonly through?: string;
  /**
   * Start after an entry already trusted (e.g. a signed digest's head) instead of at the genesis;
   * `entries` then counts only the entries checked here.
   */
  readonly from?: { readonly position: string; readonly hash: Buffer };
}

/** Recomputes the chain page by page, in one snapshot, with node:crypto. */
export async function verifyLedger(db: Database, schema: string, options: VerifyOptions = {}): Promise<LedgerVerification> {
  return db.transaction(async (tx) => {
    await tx.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY');
    return verifyLedgerIn(tx, schema, options);
  });
}

/** `verifyLedger` inside the caller's (repeatable-read) transaction. */
export async function verifyLedgerIn(tx: Sql, schema: string, options: VerifyOptions = {}): Promise<LedgerVerification> {
  const s = ledgerSchema(schema);
  const codec = options.codec ?? avroCodec();
  const pageSize = options.pageSize ?? 2000;
  const through = options.through ?? LAST_POSITION;
  const pageAfter = (after: string) => tx.query<LedgerRow>(
    `SELECT ${LEDGER_COLUMNS} FROM ${s}.ledger WHERE position > $1 AND position <= $2 ORDER BY position LIMIT $3`, [after, through, pageSize],
  );
  let previous = options.from?.hash ?? LEDGER_GENESIS;
  let lastPosition = options.from?.position ?? '0';
  let entries = 0;
  // The next page is requested before this one is hashed, so the server reads while we hash.
  let next: Promise<LedgerRow[]> | null = pageAfter(lastPosition);
  while (next) {
    const rows: LedgerRow[] = await next;
    next = rows.length === pageSize ? pageAfter(rows[rows.length - 1].position) : null;
    for (const row of rows) {
      const reason = entryProblem(row, previous, codec);
      if (reason) {
        await next?.catch(() => undefined);
        return { ok: false, firstBroken: { position: row.position, reason } };
      }
      previous = row.hash;
      lastPosition = row.position;
      entries += 1;
    }
  }
  if (options.through === undefined) {
    const broken = await headMismatch(tx, s, { lastPosition, entries, hash: previous, counted: options.from === undefined });
    if (broken) return { ok: false, firstBroken: broken };
  }
  return { ok: true, entries, lastPosition, headHash: previous.toString('hex') };
}

async function headMismatch(tx: Sql, s: string, seen: { lastPosition: string; entries: number; hash: Buffer; counted: boolean }): Promise<BrokenEntry | null> {
  const [head] = await tx.query<{ last_position: string; entries: string; last_hash: Buffer }>(
    `SELECT last_position, entries, last_hash FROM ${s}.ledger_head WHERE singleton`,
  );
  const entriesDiffer = seen.counted && Number(head?.entries) !== seen.entries;
  if (head && head.last_position === seen.lastPosition && !entriesDiffer && head.last_hash.equals(seen.hash)) return null;
  const reason = `the chain head (position ${head?.last_position ?? 'missing'}, ${head?.entries ?? 0} entries) does not match the ledger ` +
    `(position ${seen.lastPosition}${seen.counted ? `, ${seen.entries} entries` : ''}): entries were removed from the end or the head was altered`;
  return { position: head?.last_position ?? seen.lastPosition, reason };
}

/** Why this entry does not hold as the successor of `previous`, or null when it does. */
export function entryProblem(row: LedgerRow, previous: Buffer, codec: AvroCodec): string | null {
  return brokenLink(row, previous) ?? ownHashProblem(row) ?? columnMismatch(row, codec);
}

function brokenLink(row: LedgerRow, previous: Buffer): string | null {
  return row.prev_hash.equals(previous)
    ? null
    : 'prev_hash is not the hash of the previous entry: an entry was removed, inserted or reordered before this one';
}

/** The entry's own hash, recomputed from its stored bytes. */
export function ownHashProblem(row: Pick<LedgerRow, 'prev_hash' | 'payload' | 'hash'>): string | null {
  const expected = createHash('sha256').update(row.prev_hash).update(row.payload).digest();
  return expected.equals(row.hash) ? null : 'hash is not sha256(prev_hash || payload): the stored payload or hash was altered';
}

/** The searchable columns are copies; each must still say what the hashed payload says. */
export function columnMismatch(row: LedgerRow, codec: AvroCodec): string | null {
  let event: EnvelopedEvent;
  try {
    event = codec.decodeEvent(row.payload);
  } catch (error) {
    return `payload does not decode: ${(error as Error).message}`;
  }
  const e = event.envelope;
  const expected: Record<string, unknown> = {
    event_id: e.eventId.toLowerCase(), event_type: event.type, stream_id: e.streamId, stream_version: e.streamVersion,
    occurred_ms: String(e.occurredAt), actor_id: e.actor.id, actor_role: e.actor.role, correlation_id: e.correlationId,
    causation_id: e.causationId, trace_id: traceIdOf(e.traceparent), links: [...e.links],
  };
  if (EVENT_CONTEXT[event.type]) expected.source_service = EVENT_CONTEXT[event.type];
  const differing = Object.keys(expected).filter((column) => !sameValue(row[column as keyof LedgerRow], expected[column]));
  return differing.length === 0 ? null : `column(s) ${differing.join(', ')} disagree with the hashed payload`;
}

// Element-wise rather than deep-equal: a driver may hand back arrays from another realm.
function sameValue(stored: unknown, expected: unknown): boolean {
  if (Array.isArray(stored) && Array.isArray(expected)) {
    return stored.length === expected.length && stored.every((item, i) => item === expected[i]);
  }
  return stored === expected;
}
