import { subjectKind, UPSTREAM_SUBJECT_KINDS } from '@mgov/contracts';
import type { Sql } from '@mgov/event-store';
import { LEDGER_COLUMNS, type LedgerRow } from './ledger-row';

/**
 * A registry submission precedes the version number, so it links only its candidate: events that
 * share a candidate with the model version's own events belong to its story too.
 */
const COMPANION_KINDS: readonly string[] = ['candidate'];
const UPSTREAM_KINDS: readonly string[] = UPSTREAM_SUBJECT_KINDS;

interface Linked {
  position: string;
  links: string[];
}

const linksOfKinds = (rows: readonly Linked[], kinds: readonly string[]) =>
  [...new Set(rows.flatMap((row) => row.links).filter((link) => kinds.includes(subjectKind(link))))];

/**
 * Every ledger entry about a model version, its companions and its transitive upstream (runs,
 * dataset versions, sources, walked through the streams named by upstream links), in ledger order.
 * A few small queries, each answered by one index (links: GIN, stream_id), rather than one
 * recursive query whose estimates grow with the ledger and end in full scans.
 */
export async function readModelVersionChain(tx: Sql, s: string, modelVersion: string): Promise<LedgerRow[]> {
  const direct = await tx.query<Linked>(`SELECT position, links FROM ${s}.ledger WHERE links @> ARRAY[$1::text] OR stream_id = $1::text`, [modelVersion]);
  const companionSubjects = linksOfKinds(direct, COMPANION_KINDS);
  const companions = companionSubjects.length === 0 ? [] : await tx.query<Linked>(
    `SELECT position, links FROM ${s}.ledger WHERE links && $1::text[]`, [companionSubjects],
  );
  const positions = new Set([...direct, ...companions].map((row) => row.position));
  const walked = new Set<string>();
  let frontier = linksOfKinds([...direct, ...companions], UPSTREAM_KINDS);
  while (frontier.length > 0) {
    frontier.forEach((subject) => walked.add(subject));
    const upstream = await tx.query<Linked>(`SELECT position, links FROM ${s}.ledger WHERE stream_id = ANY($1::text[])`, [frontier]);
    upstream.forEach((row) => positions.add(row.position));
    frontier = linksOfKinds(upstream, UPSTREAM_KINDS).filter((subject) => !walked.has(subject));
  }
  if (positions.size === 0) return [];
  return tx.query<LedgerRow>(`SELECT ${LEDGER_COLUMNS} FROM ${s}.ledger WHERE position = ANY($1::bigint[]) ORDER BY position`, [[...positions]]);
}
