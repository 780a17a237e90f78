import type { ServiceRuntime } from '@mgov/service-runtime';
import { logger } from '@mgov/telemetry';
import type { DigestSignerConfig } from './audit-config';
import { deliverPending, type DigestTarget, directoryTarget, webhookTarget } from './digest-export';
import { setupLedger } from './ledger';
import { signLedgerDigest, type SignOutcome } from './ledger-digests';
import { loadSigningKey, type SigningKey } from './signing-key';

const log = logger('audit');

export type DigestRuntime = Pick<ServiceRuntime, 'db' | 'schema' | 'codec' | 'clock'>;

export interface DigestSigner {
  /** Stops the timer and waits for a round in progress (an export waiting to retry is cut short). */
  stop(): Promise<void>;
}

export function digestTargets(config: DigestSignerConfig): DigestTarget[] {
  return [
    ...(config.exportDir ? [directoryTarget(config.exportDir)] : []),
    ...(config.webhook ? [webhookTarget(config.webhook, { attempts: config.webhookAttempts, retryBaseMs: config.retryBaseMs })] : []),
  ];
}

/** Signs the ledger head now, in one repeatable-read snapshot (creating the tables if this runs first). */
export function signDigestNow(runtime: DigestRuntime, key: SigningKey): Promise<SignOutcome> {
  return runtime.db.transaction(async (tx) => {
    await tx.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ');
    await setupLedger(tx, runtime.schema);
    return signLedgerDigest(tx, runtime.schema, key, { codec: runtime.codec, now: runtime.clock.now() });
  });
}

/**
 * Every `config.intervalMs`: signs the ledger head when it moved, then exports every digest not
 * yet delivered to the configured directory and webhook. Rounds never overlap. An interval of 0
 * starts nothing. Throws at once when the configured key cannot be used.
 */
export function startDigestSigner(runtime: DigestRuntime, config: DigestSignerConfig): DigestSigner {
  if (config.intervalMs === 0) {
    log.info('ledger digests are disabled (MGOV_AUDIT_DIGEST_INTERVAL_MS=0)');
    return { stop: async () => undefined };
  }
  const key = loadSigningKey(config);
  const targets = digestTargets(config);
  const abort = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  let round: Promise<void> | null = null;

  const signAndExport = async () => {
    try {
      const outcome = await signDigestNow(runtime, key);
      if ('signed' in outcome) log.info({ position: outcome.signed.position, keyId: key.keyId }, 'signed the ledger head');
      if ('refused' in outcome) log.error({ broken: outcome.refused }, 'NOT signing the ledger head: the ledger is broken since the last digest');
      if (targets.length > 0) await deliverPending(runtime.db, runtime.schema, targets, abort.signal);
    } catch (error) {
      if (!abort.signal.aborted) log.error({ err: error }, 'ledger digest round failed; trying again next round');
    }
  };
  const schedule = () => {
    timer = setTimeout(() => {
      round = signAndExport().finally(() => {
        round = null;
        if (!abort.signal.aborted) schedule();
      });
    }, config.intervalMs);
  };
  log.info({ keyId: key.keyId, intervalMs: config.intervalMs, targets: targets.map((t) => t.name) }, 'signing ledger digests');
  schedule();
  return {
    async stop() {
      abort.abort();
      clearTimeout(timer);
      await round;
    },
  };
}
