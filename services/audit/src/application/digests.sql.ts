/**
 * Signed ledger digests and the record of their delivery to each export target. Both are
 * append-only like the ledger (the trigger function comes from `ledgerSql`); idempotent DDL.
 */
export const digestsSql = (s: string): string[] => [
  `CREATE TABLE IF NOT EXISTS ${s}.digests (
    id        bigserial   NOT NULL PRIMARY KEY,
    position  bigint      NOT NULL,
    head_hash bytea       NOT NULL,
    signed_at timestamptz NOT NULL,
    key_id    text        NOT NULL,
    document  text        NOT NULL
  )`,
  // One digest per head position: replicas signing the same head at once leave one row.
  `CREATE UNIQUE INDEX IF NOT EXISTS digests_position_key ON ${s}.digests (position)`,
  `CREATE TABLE IF NOT EXISTS ${s}.digest_deliveries (
    digest_id    bigint      NOT NULL REFERENCES ${s}.digests (id),
    target       text        NOT NULL,
    delivered_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (target, digest_id)
  )`,
  // Every key that ever signed a digest, each vouching (with its own signature) for the keys before it.
  `CREATE TABLE IF NOT EXISTS ${s}.signing_keys (
    key_id         text        NOT NULL PRIMARY KEY,
    public_key_pem text        NOT NULL,
    predecessors   text        NOT NULL,
    vouch          text        NOT NULL,
    recorded_at    timestamptz NOT NULL DEFAULT now()
  )`,
  `CREATE OR REPLACE TRIGGER signing_keys_append_only
   BEFORE UPDATE OR DELETE OR TRUNCATE ON ${s}.signing_keys
   FOR EACH STATEMENT EXECUTE FUNCTION ${s}.reject_audit_mutation()`,
  `CREATE OR REPLACE TRIGGER digests_append_only
   BEFORE UPDATE OR DELETE OR TRUNCATE ON ${s}.digests
   FOR EACH STATEMENT EXECUTE FUNCTION ${s}.reject_audit_mutation()`,
  `CREATE OR REPLACE TRIGGER digest_deliveries_append_only
   BEFORE UPDATE OR DELETE OR TRUNCATE ON ${s}.digest_deliveries
   FOR EACH STATEMENT EXECUTE FUNCTION ${s}.reject_audit_mutation()`,
];
