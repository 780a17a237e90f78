import { resolve } from 'node:path';

/** Every MGov service's own event-store schema (`mgov_<service>`, as the service kernel names it). */
export const SERVICE_SCHEMAS: readonly string[] = ['mgov_lineage', 'mgov_experiment', 'mgov_registry', 'mgov_monitoring', 'mgov_retraining', 'mgov_audit'];

/** Which services' own chains `GET /audit/verify` recomputes, and where it finds them. */
export interface ChainTargets {
  readonly schemas: readonly string[];
  /** A separate PostgreSQL for those schemas; unset = the audit service's own database. */
  readonly databaseUrl?: string;
}

export interface DigestSignerConfig {
  /** How often the ledger head is signed; 0 disables signing. */
  readonly intervalMs: number;
  /** A PEM (PKCS#8) Ed25519 private key; unset = a key generated once and kept in `keyDir`. */
  readonly keyFile?: string;
  readonly keyDir: string;
  /** A directory that receives one JSON file per digest. */
  readonly exportDir?: string;
  /** A URL that receives each digest as a JSON POST. */
  readonly webhook?: string;
  readonly webhookAttempts: number;
  /** The first retry's delay; each further retry waits twice as long. */
  readonly retryBaseMs: number;
}

export interface AuditConfig {
  readonly verify: ChainTargets;
  readonly digests: DigestSignerConfig;
}

type Env = Readonly<Record<string, string | undefined>>;

/**
 * The audit service's settings from the environment:
 * MGOV_AUDIT_VERIFY_SCHEMAS (comma-separated, default all six), MGOV_AUDIT_VERIFY_DATABASE_URL,
 * MGOV_AUDIT_DIGEST_INTERVAL_MS (default 60000, 0 = off), MGOV_AUDIT_SIGNING_KEY_FILE,
 * MGOV_AUDIT_DIGEST_DIR, MGOV_AUDIT_DIGEST_WEBHOOK; a generated key goes to MGOV_DATA_DIR (default ./.mgov).
 */
export function auditConfig(env: Env = process.env): AuditConfig {
  const schemas = (env.MGOV_AUDIT_VERIFY_SCHEMAS ?? SERVICE_SCHEMAS.join(',')).split(',').map((s) => s.trim()).filter(Boolean);
  const badSchema = schemas.find((s) => !/^[a-z_][a-z0-9_]{0,62}$/.test(s));
  if (badSchema !== undefined) throw new Error(`MGOV_AUDIT_VERIFY_SCHEMAS: "${badSchema}" is not a schema name (lower-case letters, digits, "_")`);
  const interval = env.MGOV_AUDIT_DIGEST_INTERVAL_MS ?? '60000';
  if (!/^\d{1,10}$/.test(interval)) throw new Error(`MGOV_AUDIT_DIGEST_INTERVAL_MS must be a whole number of milliseconds (0 disables signing), not "${interval}"`);
  const webhook = nonEmpty(env.MGOV_AUDIT_DIGEST_WEBHOOK);
  if (webhook !== undefined && !/^https?:\/\//.test(webhook)) throw new Error('MGOV_AUDIT_DIGEST_WEBHOOK must be an http:// or https:// URL');
  return {
    verify: { schemas, databaseUrl: nonEmpty(env.MGOV_AUDIT_VERIFY_DATABASE_URL) },
    digests: {
      intervalMs: Number(interval),
      keyFile: nonEmpty(env.MGOV_AUDIT_SIGNING_KEY_FILE),
      keyDir: resolve(env.MGOV_DATA_DIR ?? '.mgov'),
      exportDir: nonEmpty(env.MGOV_AUDIT_DIGEST_DIR),
      webhook,
      webhookAttempts: 5,
      retryBaseMs: 500,
    },
  };
}

const nonEmpty = (value: string | undefined) => (value === undefined || value.trim() === '' ? undefined : value.trim());
