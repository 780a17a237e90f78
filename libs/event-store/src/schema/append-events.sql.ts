import { SqlState } from '../sql-error';

const ZERO_HASH = `'\\x${'00'.repeat(32)}'::bytea`;

/**
 * `append_events` appends a batch to one stream in one statement: it locks the stream's chain head
 * (so two writers can never chain onto the same predecessor), checks the expected version
 * (-1 skips the check), hashes every event onto the chain and inserts all rows at once.
 *
 * hash = sha256(prev_hash || utf8(event_id|stream_id|stream_version|type) || data); the running
 * window aggregate `hash_chain` carries the previous hash from row to row.
 */
export const appendEventsSql = (s: string): string[] => [
  `CREATE OR REPLACE FUNCTION ${s}.hash_chain_step(state bytea, head bytea, message bytea) RETURNS bytea
   LANGUAGE sql IMMUTABLE PARALLEL SAFE
   RETURN pg_catalog.sha256(COALESCE(state, head) || message)`,
  `CREATE OR REPLACE AGGREGATE ${s}.hash_chain(head bytea, message bytea) (
     SFUNC = ${s}.hash_chain_step, STYPE = bytea
   )`,
  `CREATE OR REPLACE FUNCTION ${s}.append_events(stream text, expected int, ids uuid[], types text[], datas bytea[])
   RETURNS TABLE (next_version int, xact_id xid8, positions bigint[])
   LANGUAGE plpgsql SET search_path = pg_catalog AS $fn$
   DECLARE
     current_version int;
     head bytea;
     batch_size int := cardinality(ids);
   BEGIN
     IF batch_size IS NULL OR batch_size = 0
        OR cardinality(types) IS DISTINCT FROM batch_size OR cardinality(datas) IS DISTINCT FROM batch_size THEN
       RAISE EXCEPTION 'append_events needs ids, types and datas of the same non-zero length';
     END IF;

     SELECT s.version, s.last_hash INTO current_version, head
       FROM ${s}.streams s WHERE s.stream_id = stream FOR UPDATE;
     IF NOT FOUND THEN
       INSERT INTO ${s}.streams (stream_id, version, last_hash) VALUES (stream, 0, ${ZERO_HASH})
         ON CONFLICT (stream_id) DO NOTHING;
       SELECT s.version, s.last_hash INTO current_version, head
         FROM ${s}.streams s WHERE s.stream_id = stream FOR UPDATE;
     END IF;

     IF expected <> -1 AND expected <> current_version THEN
       RAISE EXCEPTION USING
         ERRCODE = '${SqlState.ConcurrencyConflict}',
         MESSAGE = format('stream %s is at version %s, expected %s', stream, current_version, expected),
         DETAIL = json_build_object('streamId', stream, 'expected', expected, 'actual', current_version)::text;
     END IF;

     RETURN QUERY
     WITH batch AS (
       SELECT e.ord::int AS ord, e.id, e.type, e.data,
              ${s}.hash_chain(head,
                convert_to(e.id::text || '|' || stream || '|' || (current_version + e.ord)::text || '|' || e.type, 'UTF8')
                || e.data) OVER (ORDER BY e.ord ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS hash
         FROM unnest(ids, types, datas) WITH ORDINALITY AS e(id, type, data, ord)
     ), inserted AS (
       INSERT INTO ${s}.events (stream_id, stream_version, event_id, type, data, prev_hash, hash)
       SELECT stream, current_version + b.ord, b.id, b.type, b.data,
              COALESCE(lag(b.hash) OVER (ORDER BY b.ord), head), b.hash
         FROM batch b ORDER BY b.ord
       RETURNING events.position, events.stream_version, events.hash
     ), head_moved AS (
       UPDATE ${s}.streams s
          SET version = current_version + batch_size,
              last_hash = (SELECT i.hash FROM inserted i ORDER BY i.stream_version DESC LIMIT 1)
        WHERE s.stream_id = stream
     )
     SELECT current_version + batch_size, pg_current_xact_id(), array_agg(i.position ORDER BY i.position)
       FROM inserted i;
   END
   $fn$`,
];
