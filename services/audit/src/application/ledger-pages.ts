import type { Sql } from '@mgov/event-store';
import { VERIFY_COLUMNS, type VerifyRow } from './ledger-columns-json';

interface PackedPage {
  positions: string | null;
  lengths: string | null;
  payloads: Buffer | null;
  hashes: Buffer | null;
  columns: string | null;
  regular: boolean | null;
}

// JSON text escapes every control character, so a raw U+001E can only be this separator.
const RECORD_SEPARATOR = '\u001e';

/**
 * Reads one page of entries to verify as a single row: positions, payload lengths, the payloads,
 * the hash pairs and the column texts, each concatenated by the server. Slicing one buffer costs
 * far less than parsing thousands of rows; the chain is still recomputed entry by entry.
 * The aggregates read the ordered subquery in one pass, so they agree with each other; sorting
 * inside each aggregate would cost a sort per column, so the order is checked here instead. A page
 * out of order, or holding a hash of the wrong length (only an edit behind the constraints makes
 * one), is read row by row instead, so the slicing can never shift.
 */
export async function readVerifyPage(tx: Sql, s: string, after: string, through: string, pageSize: number): Promise<VerifyRow[]> {
  const [page] = await tx.query<PackedPage>(
    `SELECT string_agg(position::text, ',') AS positions,
            string_agg(octet_length(payload)::text, ',') AS lengths,
            string_agg(payload, ''::bytea) AS payloads,
            string_agg(prev_hash || hash, ''::bytea) AS hashes,
            string_agg(columns_json, chr(30)) AS columns,
            bool_and(octet_length(prev_hash) = 32 AND octet_length(hash) = 32) AS regular
       FROM (SELECT ${VERIFY_COLUMNS} FROM ${s}.ledger WHERE position > $1 AND position <= $2 ORDER BY position LIMIT $3) AS page`,
    [after, through, pageSize],
  );
  if (!page?.positions || !page.lengths || !page.payloads || !page.hashes || page.columns === null) return [];
  const positions = page.positions.split(',');
  if (!page.regular || !ascending(positions)) {
    return tx.query<VerifyRow>(`SELECT ${VERIFY_COLUMNS} FROM ${s}.ledger WHERE position > $1 AND position <= $2 ORDER BY position LIMIT $3`, [after, through, pageSize]);
  }
  const lengths = page.lengths.split(',').map(Number);
  const columns = page.columns.split(RECORD_SEPARATOR);
  const rows: VerifyRow[] = new Array(positions.length);
  let offset = 0;
  for (let i = 0; i < positions.length; i++) {
    rows[i] = {
      position: positions[i],
      payload: page.payloads.subarray(offset, offset + lengths[i]),
      prev_hash: page.hashes.subarray(64 * i, 64 * i + 32),
      hash: page.hashes.subarray(64 * i + 32, 64 * i + 64),
      columns_json: columns[i],
    };
    offset += lengths[i];
  }
  return rows;
}

/** Decimal strings without leading zeros: a longer one is larger, equal lengths compare as text. */
function ascending(positions: readonly string[]): boolean {
  for (let i = 1; i < positions.length; i++) {
    const [before, after] = [positions[i - 1], positions[i]];
    if (after.length < before.length || (after.length === before.length && after <= before)) return false;
  }
  return true;
}
