import { digestsSql } from './digests.sql';

/** The event store's append-only SQLSTATE: the adapters turn it into EVENT_STORE.APPEND_ONLY. */
const APPEND_ONLY = 'MG002';
/** Set on the ledger table by the last DDL statement; bump it whenever `ledgerSql` changes. */
export const LEDGER_DDL_VERSION = 'mgov audit ledger v2';
export const GENESIS_HASH_SQL = `'\\x${'00'.repeat(32)}'::bytea`;

/**
 * The audit ledger (one global hash chain over every event received), its one-row chain head and
 * the access log. Idempotent DDL; `s` is an already validated schema identifier.
 */
export const ledgerSql = (s: string): string[] => [
  `CREATE SCHEMA IF NOT EXISTS ${s}`,
  `CREATE TABLE IF NOT EXISTS ${s}.ledger (
    position         bigserial   NOT NULL,
    event_id         uuid        NOT NULL,
    event_type       text        NOT NULL,
    source_service   text        NOT NULL,
    stream_id        text        NOT NULL,
    stream_version   int         NOT NULL,
    occurred_at      timestamptz NOT NULL,
    recorded_at      timestamptz NOT NULL DEFAULT now(),
    actor_id         text        NOT NULL,
    actor_role       text        NOT NULL,
    correlation_id   text        NOT NULL,
    causation_id     text,
    trace_id         text,
    links            text[]      NOT NULL,
    source_topic     text        NOT NULL,
    source_partition int,
    source_offset    bigint,
    payload          bytea       NOT NULL,
    prev_hash        bytea       NOT NULL,
    hash             bytea       NOT NULL,
    CONSTRAINT ledger_pkey PRIMARY KEY (position),
    CONSTRAINT ledger_event_id_key UNIQUE (event_id),
    CONSTRAINT ledger_hash_length_check CHECK (octet_length(prev_hash) = 32 AND octet_length(hash) = 32)
  )`,
  `CREATE INDEX IF NOT EXISTS ledger_links_idx ON ${s}.ledger USING gin (links)`,
  `CREATE INDEX IF NOT EXISTS ledger_stream_idx ON ${s}.ledger (stream_id, position)`,
  `CREATE INDEX IF NOT EXISTS ledger_type_idx ON ${s}.ledger (event_type, position)`,
  `CREATE INDEX IF NOT EXISTS ledger_correlation_idx ON ${s}.ledger (correlation_id, position)`,
  `CREATE INDEX IF NOT EXISTS ledger_actor_idx ON ${s}.ledger (actor_id, position)`,
  `CREATE INDEX IF NOT EXISTS ledger_service_idx ON ${s}.ledger (source_service, position)`,
  `CREATE INDEX IF NOT EXISTS ledger_occurred_idx ON ${s}.ledger (occurred_at, position)`,
  `CREATE TABLE IF NOT EXISTS ${s}.ledger_head (
    singleton     boolean NOT NULL DEFAULT true PRIMARY KEY CHECK (singleton),
    last_position bigint  NOT NULL,
    entries       bigint  NOT NULL,
    last_hash     bytea   NOT NULL
  )`,
  `INSERT INTO ${s}.ledger_head (singleton, last_position, entries, last_hash)
   VALUES (true, 0, 0, ${GENESIS_HASH_SQL}) ON CONFLICT (singleton) DO NOTHING`,
  `CREATE TABLE IF NOT EXISTS ${s}.access_log (
    id             bigserial   NOT NULL PRIMARY KEY,
    at             timestamptz NOT NULL,
    actor_id       text        NOT NULL,
    actor_role     text        NOT NULL,
    correlation_id text,
    query          jsonb       NOT NULL,
    result_count   int         NOT NULL
  )`,
  `CREATE INDEX IF NOT EXISTS access_log_actor_idx ON ${s}.access_log (actor_id, id)`,
  `CREATE OR REPLACE FUNCTION ${s}.reject_audit_mutation() RETURNS trigger
   LANGUAGE plpgsql SET search_path = pg_catalog AS $fn$
   BEGIN
     RAISE EXCEPTION USING
       ERRCODE = '${APPEND_ONLY}',
       MESSAGE = format('%s on %I.%I is not allowed: the audit trail is append-only', TG_OP, TG_TABLE_SCHEMA, TG_TABLE_NAME),
       HINT = 'Audit records are never changed; record a new fact instead.';
   END
   $fn$`,
  // Statement-level, so they fire even when no row matches.
  `CREATE OR REPLACE TRIGGER ledger_append_only
   BEFORE UPDATE OR DELETE OR TRUNCATE ON ${s}.ledger
   FOR EACH STATEMENT EXECUTE FUNCTION ${s}.reject_audit_mutation()`,
  `CREATE OR REPLACE TRIGGER ledger_head_kept
   BEFORE DELETE OR TRUNCATE ON ${s}.ledger_head
   FOR EACH STATEMENT EXECUTE FUNCTION ${s}.reject_audit_mutation()`,
  `CREATE OR REPLACE TRIGGER access_log_append_only
   BEFORE UPDATE OR DELETE OR TRUNCATE ON ${s}.access_log
   FOR EACH STATEMENT EXECUTE FUNCTION ${s}.reject_audit_mutation()`,
  ...digestsSql(s),
  `COMMENT ON TABLE ${s}.ledger IS '${LEDGER_DDL_VERSION}'`,
];

/**
 * Appends one entry: locks the chain head (so appends are serialized and positions are assigned
 * in chain order), chains the payload onto it, and skips an event id already in the ledger.
 */
export const appendEntrySql = (s: string): string => `
  WITH head AS (SELECT last_hash FROM ${s}.ledger_head WHERE singleton FOR UPDATE)
  INSERT INTO ${s}.ledger (
    event_id, event_type, source_service, stream_id, stream_version, occurred_at, actor_id, actor_role,
    correlation_id, causation_id, trace_id, links, source_topic, source_partition, source_offset, payload, prev_hash, hash)
  SELECT $1::uuid, $2, $3, $4, $5::int, $6::timestamptz, $7, $8, $9, $10, $11, $12::text[], $13, $14::int, $15::bigint,
         $16::bytea, head.last_hash, pg_catalog.sha256(head.last_hash || $16::bytea)
    FROM head
  ON CONFLICT (event_id) DO NOTHING
  RETURNING position, hash`;

export const moveHeadSql = (s: string): string =>
  `UPDATE ${s}.ledger_head SET last_position = $1, entries = entries + 1, last_hash = $2 WHERE singleton`;

/** The schema as an identifier safe to splice into SQL. */
export function ledgerSchema(schema: string): string {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) throw new Error(`"${schema}" is not a valid schema name: use lower-case letters, digits and "_"`);
  return `"${schema}"`;
}
