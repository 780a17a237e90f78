import type { AvroCodec } from '@mgov/contracts';
import type { Sql } from '@mgov/event-store';
import { envelopeReader } from './envelope-reader';
import { brokenLink, columnMismatch, ownHashProblem } from './entry-checks';
import { columnsJson, type VerifyRow } from './ledger-columns-json';
import { readVerifyPage } from './ledger-pages';
import { LEDGER_COLUMNS, type LedgerRow } from './ledger-row';

const readEnvelope = envelopeReader();

export interface RangeResult {
  readonly broken: { readonly position: string; readonly reason: string } | null;
  /** The first entry's prev_hash, for a caller that took it on trust. */
  readonly firstPrevHash: Buffer | null;
  readonly firstPosition: string | null;
  readonly lastHash: Buffer;
  readonly lastPosition: string;
  readonly entries: number;
}

export interface Range {
  readonly after: string;
  readonly through: string;
  /** The hash the first entry must chain onto; null = check that link elsewhere. */
  readonly previous: Buffer | null;
  readonly pageSize: number;
}

/** Verifies the entries in (after, through], page by page, in the caller's snapshot. */
export async function verifyRange(tx: Sql, s: string, codec: AvroCodec, range: Range): Promise<RangeResult> {
  const pageAfter = (after: string) => readVerifyPage(tx, s, after, range.through, range.pageSize);
  let previous = range.previous;
  let first: VerifyRow | null = null;
  let lastPosition = range.after;
  let entries = 0;
  // The next page is requested before this one is hashed, so the server reads while we hash.
  let next: Promise<VerifyRow[]> | null = pageAfter(range.after);
  while (next) {
    const rows: VerifyRow[] = await next;
    next = rows.length === range.pageSize ? pageAfter(rows[rows.length - 1].position) : null;
    for (const row of rows) {
      first ??= row;
      const reason = brokenLink(row, previous ?? row.prev_hash) ?? ownHashProblem(row) ?? (await columnsProblem(tx, s, row, codec));
      if (reason) {
        await next?.catch(() => undefined);
        return { broken: { position: row.position, reason }, firstPrevHash: first.prev_hash, firstPosition: first.position, lastHash: row.prev_hash, lastPosition, entries };
      }
      previous = row.hash;
      lastPosition = row.position;
      entries += 1;
    }
  }
  return { broken: null, firstPrevHash: first?.prev_hash ?? null, firstPosition: first?.position ?? null, lastHash: previous ?? Buffer.alloc(0), lastPosition, entries };
}

/**
 * The fast path compares the searchable columns as one JSON text, written by the server, with the
 * same text built from the stored envelope (a row of typed columns is twice as slow to fetch).
 * Only when they differ is the whole row read, to name the columns; if it names none, the texts
 * differed in form only and the row holds.
 */
async function columnsProblem(tx: Sql, s: string, row: VerifyRow, codec: AvroCodec): Promise<string | null> {
  const stored = readEnvelope(row.payload);
  if (stored && columnsJson(stored.type, stored.envelope) === row.columns_json) return null;
  const [full] = await tx.query<LedgerRow>(`SELECT ${LEDGER_COLUMNS} FROM ${s}.ledger WHERE position = $1`, [row.position]);
  return columnMismatch(full, codec);
}
