import { readFileSync } from 'node:fs';
import type { SASLOptions } from 'kafkajs';

/** How a client proves who it is to the broker (SASL over TLS in production, SASL alone on a private network). */
export interface KafkaSecurity {
  readonly sasl?: SASLOptions;
  readonly ssl?: boolean;
}

const MECHANISMS = ['scram-sha-512', 'scram-sha-256', 'plain'] as const;

/**
 * Kafka credentials from the environment: `MGOV_KAFKA_SASL_MECHANISM` (scram-sha-512, scram-sha-256 or
 * plain), `MGOV_KAFKA_USERNAME`, `MGOV_KAFKA_PASSWORD` or `MGOV_KAFKA_PASSWORD_FILE`, and
 * `MGOV_KAFKA_SSL=true` for TLS. None set: no authentication (a local broker). A half-done setting is
 * refused at start-up rather than silently connecting as nobody.
 */
export function kafkaSecurityFromEnv(env: NodeJS.ProcessEnv = process.env): KafkaSecurity {
  const ssl = env.MGOV_KAFKA_SSL === undefined ? undefined : parseFlag(env.MGOV_KAFKA_SSL);
  const mechanism = env.MGOV_KAFKA_SASL_MECHANISM?.trim().toLowerCase();
  const username = env.MGOV_KAFKA_USERNAME?.trim();
  const password = env.MGOV_KAFKA_PASSWORD ?? (env.MGOV_KAFKA_PASSWORD_FILE ? readFileSync(env.MGOV_KAFKA_PASSWORD_FILE, 'utf8').trim() : undefined);
  if (!mechanism && !username && password === undefined) return ssl === undefined ? {} : { ssl };
  if (!mechanism || !(MECHANISMS as readonly string[]).includes(mechanism)) {
    throw new Error(`MGOV_KAFKA_SASL_MECHANISM must be one of ${MECHANISMS.join(', ')} when Kafka credentials are set (got ${JSON.stringify(mechanism ?? '')})`);
  }
  if (!username || !password) throw new Error('Kafka SASL needs both MGOV_KAFKA_USERNAME and MGOV_KAFKA_PASSWORD (or MGOV_KAFKA_PASSWORD_FILE)');
  const sasl = { mechanism, username, password } as SASLOptions;
  return ssl === undefined ? { sasl } : { sasl, ssl };
}

function parseFlag(value: string): boolean {
  if (/^(true|1|yes)$/i.test(value.trim())) return true;
  if (/^(false|0|no)$/i.test(value.trim())) return false;
  throw new Error(`MGOV_KAFKA_SSL must be true or false, not ${JSON.stringify(value)}`);
}
