import { type AvroCodec, avroCodec } from '@mgov/contracts';
import type { Database, Sql } from '@mgov/event-store';
import { LEDGER_GENESIS } from './entry-checks';
import { type RangeResult, verifyRange } from './ledger-range';
import { ledgerSchema } from './ledger.sql';

export { columnMismatch, LEDGER_GENESIS, ownHashProblem } from './entry-checks';

const LAST_POSITION = '9223372036854775807';
const PAGE_SIZE = 2000;

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
  /** Position ranges verified at once by `verifyLedger`, each on its own connection (PostgreSQL only; default 2). */
  readonly segments?: number;
}

/**
 * Recomputes the chain from the stored bytes with node:crypto. On PostgreSQL the entries up to the
 * head are split into position ranges verified at once, each in its own snapshot: every entry up
 * to the head is committed and never changes, so the snapshots agree, and the links between the
 * ranges are checked here.
 */
export async function verifyLedger(db: Database, schema: string, options: VerifyOptions = {}): Promise<LedgerVerification> {
  const segments = db.kind === 'postgres' && !options.from && !options.through ? (options.segments ?? 2) : 1;
  const inSnapshot = <T>(work: (tx: Sql) => Promise<T>) => db.transaction(async (tx) => {
    await tx.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY');
    return work(tx);
  });
  if (segments <= 1) return inSnapshot((tx) => verifyLedgerIn(tx, schema, options));
  const s = ledgerSchema(schema);
  const codec = options.codec ?? avroCodec();
  const [head] = await db.query<HeadRow>(`SELECT last_position, entries, last_hash FROM ${s}.ledger_head WHERE singleton`);
  const last = BigInt(head?.last_position ?? '0');
  const bounds = Array.from({ length: segments + 1 }, (_, i) => ((last * BigInt(i)) / BigInt(segments)).toString());
  const ranges = await Promise.all(bounds.slice(1).map((through, i) => inSnapshot((tx) =>
    verifyRange(tx, s, codec, { after: bounds[i], through, previous: i === 0 ? LEDGER_GENESIS : null, pageSize: options.pageSize ?? PAGE_SIZE }))));
  return joined(ranges, head);
}

/** `verifyLedger` inside the caller's (repeatable-read) transaction, in one pass. */
export async function verifyLedgerIn(tx: Sql, schema: string, options: VerifyOptions = {}): Promise<LedgerVerification> {
  const s = ledgerSchema(schema);
  const range = await verifyRange(tx, s, options.codec ?? avroCodec(), {
    after: options.from?.position ?? '0', through: options.through ?? LAST_POSITION,
    previous: options.from?.hash ?? LEDGER_GENESIS, pageSize: options.pageSize ?? PAGE_SIZE,
  });
  if (range.broken) return { ok: false, firstBroken: range.broken };
  const previous = range.entries > 0 ? range.lastHash : (options.from?.hash ?? LEDGER_GENESIS);
  const lastPosition = range.entries > 0 ? range.lastPosition : (options.from?.position ?? '0');
  if (options.through === undefined) {
    const [head] = await tx.query<HeadRow>(`SELECT last_position, entries, last_hash FROM ${s}.ledger_head WHERE singleton`);
    const broken = headMismatch(head, { lastPosition, entries: range.entries, hash: previous, counted: options.from === undefined });
    if (broken) return { ok: false, firstBroken: broken };
  }
  return { ok: true, entries: range.entries, lastPosition, headHash: previous.toString('hex') };
}

/** The ranges in order: the first broken entry of any, a broken link between two, or the whole. */
function joined(ranges: readonly RangeResult[], head: HeadRow | undefined): LedgerVerification {
  let previous = LEDGER_GENESIS;
  let lastPosition = '0';
  let entries = 0;
  for (const range of ranges) {
    if (range.firstPrevHash && range.firstPosition && !range.firstPrevHash.equals(previous)) {
      const reason = 'prev_hash is not the hash of the previous entry: an entry was removed, inserted or reordered before this one';
      return { ok: false, firstBroken: { position: range.firstPosition, reason } };
    }
    if (range.broken) return { ok: false, firstBroken: range.broken };
    if (range.entries > 0) [previous, lastPosition] = [range.lastHash, range.lastPosition];
    entries += range.entries;
  }
  const broken = headMismatch(head, { lastPosition, entries, hash: previous, counted: true });
  return broken ? { ok: false, firstBroken: broken } : { ok: true, entries, lastPosition, headHash: previous.toString('hex') };
}

interface HeadRow {
  last_position: string;
  entries: string;
  last_hash: Buffer;
}

function headMismatch(head: HeadRow | undefined, seen: { lastPosition: string; entries: number; hash: Buffer; counted: boolean }): BrokenEntry | null {
  const entriesDiffer = seen.counted && Number(head?.entries) !== seen.entries;
  if (head && head.last_position === seen.lastPosition && !entriesDiffer && head.last_hash.equals(seen.hash)) return null;
  const reason = `the chain head (position ${head?.last_position ?? 'missing'}, ${head?.entries ?? 0} entries) does not match the ledger ` +
    `(position ${seen.lastPosition}${seen.counted ? `, ${seen.entries} entries` : ''}): entries were removed from the end or the head was altered`;
  return { position: head?.last_position ?? seen.lastPosition, reason };
}
