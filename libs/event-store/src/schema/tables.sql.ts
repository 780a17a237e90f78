import { SqlState } from '../sql-error';

/** The log, the per-stream chain heads and the subscribers' checkpoints (idempotent DDL). */
export const tablesSql = (s: string): string[] => [
  `CREATE SCHEMA IF NOT EXISTS ${s}`,
  `CREATE TABLE IF NOT EXISTS ${s}.events (
    position       bigserial   NOT NULL,
    transaction_id xid8        NOT NULL DEFAULT pg_current_xact_id(),
    stream_id      text        NOT NULL,
    stream_version int         NOT NULL,
    event_id       uuid        NOT NULL,
    type           text        NOT NULL,
    data           bytea       NOT NULL,
    recorded_at    timestamptz NOT NULL DEFAULT now(),
    prev_hash      bytea       NOT NULL,
    hash           bytea       NOT NULL,
    CONSTRAINT events_pkey PRIMARY KEY (position),
    CONSTRAINT events_event_id_key UNIQUE (event_id),
    CONSTRAINT events_stream_version_key UNIQUE (stream_id, stream_version),
    -- "|" separates the hashed fields, so it may not occur inside them.
    CONSTRAINT events_stream_id_check CHECK (strpos(stream_id, '|') = 0 AND stream_id <> ''),
    CONSTRAINT events_type_check CHECK (strpos(type, '|') = 0 AND type <> '')
  )`,
  `CREATE INDEX IF NOT EXISTS events_transaction_position_idx ON ${s}.events (transaction_id, position)`,
  `CREATE TABLE IF NOT EXISTS ${s}.streams (
    stream_id text  NOT NULL PRIMARY KEY,
    version   int   NOT NULL,
    last_hash bytea NOT NULL
  )`,
  `CREATE TABLE IF NOT EXISTS ${s}.checkpoints (
    subscriber     text        NOT NULL PRIMARY KEY,
    transaction_id xid8        NOT NULL,
    position       bigint      NOT NULL,
    updated_at     timestamptz NOT NULL DEFAULT now()
  )`,
];

/** Statement-level triggers: UPDATE, DELETE and TRUNCATE of the log fail even when no row matches. */
export const appendOnlySql = (s: string): string[] => [
  `CREATE OR REPLACE FUNCTION ${s}.reject_event_mutation() RETURNS trigger
   LANGUAGE plpgsql SET search_path = pg_catalog AS $fn$
   BEGIN
     RAISE EXCEPTION USING
       ERRCODE = '${SqlState.AppendOnly}',
       MESSAGE = format('%s on %I.%I is not allowed: the event log is append-only', TG_OP, TG_TABLE_SCHEMA, TG_TABLE_NAME),
       HINT = 'Append a compensating event instead of changing history.';
   END
   $fn$`,
  `CREATE OR REPLACE TRIGGER events_append_only
   BEFORE UPDATE OR DELETE OR TRUNCATE ON ${s}.events
   FOR EACH STATEMENT EXECUTE FUNCTION ${s}.reject_event_mutation()`,
];
