import { LEDGER_COLUMNS } from './ledger-row';

/**
 * A registry submission precedes the version number, so it links only its candidate: events that
 * share a candidate with the model version's own events belong to its story too.
 */
export const COMPANION_KINDS = ['candidate'];

/**
 * Every ledger entry about a model version ($1), the entries of its companions ($3 kinds) and of
 * its transitive upstream subjects ($2 kinds: runs, dataset versions, sources), in ledger order.
 */
export const modelVersionChainSql = (s: string): string => `WITH RECURSIVE
  direct AS (SELECT position, links FROM ${s}.ledger WHERE links @> ARRAY[$1::text] OR stream_id = $1::text),
  companions AS (
    SELECT e.position, e.links FROM ${s}.ledger e
     WHERE e.links && ARRAY(SELECT DISTINCT l FROM direct d, unnest(d.links) AS l WHERE split_part(l, ':', 1) = ANY($3::text[]))),
  described AS (SELECT position, links FROM direct UNION SELECT position, links FROM companions),
  upstream (subject) AS (
    SELECT l FROM described d, unnest(d.links) AS l WHERE split_part(l, ':', 1) = ANY($2::text[])
    UNION
    SELECT l FROM upstream u JOIN ${s}.ledger e ON e.stream_id = u.subject, unnest(e.links) AS l
     WHERE split_part(l, ':', 1) = ANY($2::text[])),
  chosen AS (SELECT position FROM described UNION SELECT e.position FROM ${s}.ledger e JOIN upstream u ON e.stream_id = u.subject)
SELECT ${LEDGER_COLUMNS} FROM ${s}.ledger WHERE position IN (SELECT position FROM chosen) ORDER BY position`;
