import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { DigestDocument } from '@mgov/audit-domain';
import type { Database } from '@mgov/event-store';
import { logger } from '@mgov/telemetry';
import { ledgerSchema } from './ledger.sql';

const log = logger('audit');
const BATCH = 100;

/** Somewhere outside the database that keeps a copy of every digest. */
export interface DigestTarget {
  /** Recorded with each delivery; never holds credentials. */
  readonly name: string;
  deliver(document: DigestDocument, signal: AbortSignal): Promise<void>;
}

/** One JSON file per digest, named by ledger and zero-padded position so names sort in order. */
export function directoryTarget(directory: string): DigestTarget {
  const dir = resolve(directory);
  return {
    name: `directory:${dir}`,
    async deliver(document) {
      await mkdir(dir, { recursive: true });
      const file = join(dir, `${document.ledger}-digest-${document.position.padStart(19, '0')}.json`);
      await writeFile(`${file}.tmp`, `${JSON.stringify(document, null, 2)}\n`, { mode: 0o644 });
      await rename(`${file}.tmp`, file);
    },
  };
}

/** POSTs the digest as JSON; a failure or non-2xx answer is retried with exponential backoff. */
export function webhookTarget(url: string, retry: { attempts: number; retryBaseMs: number }): DigestTarget {
  const { origin, pathname } = new URL(url);
  return {
    name: `webhook:${origin}${pathname}`,
    async deliver(document, signal) {
      for (let attempt = 1; ; attempt++) {
        try {
          const response = await fetch(url, {
            method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(document),
            signal: AbortSignal.any([signal, AbortSignal.timeout(10_000)]),
          });
          if (response.ok) return;
          throw new Error(`the webhook answered ${response.status}`);
        } catch (error) {
          if (attempt >= retry.attempts || signal.aborted) throw error;
          await sleep(retry.retryBaseMs * 2 ** (attempt - 1), undefined, { signal });
        }
      }
    },
  };
}

/**
 * Sends every digest a target has not acknowledged yet, oldest first, recording each delivery.
 * A target that keeps failing is left for the next round, so nothing is lost while it is down.
 */
export async function deliverPending(db: Database, schema: string, targets: readonly DigestTarget[], signal: AbortSignal): Promise<number> {
  let delivered = 0;
  for (const target of targets) delivered += await deliverTo(db, ledgerSchema(schema), target, signal);
  return delivered;
}

async function deliverTo(db: Database, s: string, target: DigestTarget, signal: AbortSignal): Promise<number> {
  let delivered = 0;
  for (;;) {
    const pending = await db.query<{ id: string; document: string }>(
      `SELECT d.id, d.document FROM ${s}.digests d
        WHERE NOT EXISTS (SELECT 1 FROM ${s}.digest_deliveries x WHERE x.target = $1 AND x.digest_id = d.id)
        ORDER BY d.id LIMIT $2`,
      [target.name, BATCH],
    );
    for (const row of pending) {
      try {
        await target.deliver(JSON.parse(row.document) as DigestDocument, signal);
      } catch (error) {
        if (!signal.aborted) log.warn({ err: error, target: target.name, digest: row.id }, 'could not export a ledger digest; will retry');
        return delivered;
      }
      await db.query(`INSERT INTO ${s}.digest_deliveries (digest_id, target) VALUES ($1, $2) ON CONFLICT DO NOTHING`, [row.id, target.name]);
      delivered += 1;
    }
    if (pending.length < BATCH) return delivered;
  }
}
