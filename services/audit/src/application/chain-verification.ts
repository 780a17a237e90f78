import { type BrokenLink, type Database, postgresDatabase, verifyChains } from '@mgov/event-store';
import type { ChainTargets } from './audit-config';
import type { LedgerVerification } from './ledger-verification';

/** One service's own event-store chains: intact, broken, or not reachable from here (`ok: null`). */
export type ServiceChainStatus =
  | { readonly ok: true; readonly events: number }
  | { readonly ok: false; readonly firstBroken: BrokenLink }
  | { readonly ok: null; readonly reason: string };

/**
 * `GET /audit/verify`: the ledger's verification at the top level (as before), `ok` false when any
 * chain is broken, `firstBroken` naming the chain, plus every chain's own result.
 */
export type ChainsReport = (
  | { readonly ok: true; readonly entries: number; readonly lastPosition: string; readonly headHash: string }
  | { readonly ok: false; readonly firstBroken: { readonly chain: string; readonly position: string; readonly reason: string } }
) & { readonly ledger: LedgerVerification; readonly services: Readonly<Record<string, ServiceChainStatus>> };

export type OpenDatabase = (url: string) => Promise<Database>;

const openSeparate: OpenDatabase = (url) => postgresDatabase(url, { poolSize: 1, applicationName: 'mgov-audit-verify' });

/**
 * Recomputes each listed service's chains with `verifyChains`. A schema that cannot be read here
 * (another database, no grant, never created) is reported as `{ok: null, reason}`, not as broken.
 * Runs its own transactions: call it outside any transaction on `db`.
 */
export async function verifyServiceChains(db: Database, targets: ChainTargets, open: OpenDatabase = openSeparate): Promise<Record<string, ServiceChainStatus>> {
  let source = db;
  if (targets.databaseUrl) {
    try {
      source = await open(targets.databaseUrl);
    } catch (error) {
      const reason = `cannot connect to MGOV_AUDIT_VERIFY_DATABASE_URL (${hostOf(targets.databaseUrl)}): ${(error as Error).message}`;
      return Object.fromEntries(targets.schemas.map((schema) => [schema, { ok: null, reason }]));
    }
  }
  try {
    const statuses: Record<string, ServiceChainStatus> = {};
    for (const schema of targets.schemas) statuses[schema] = await verifySchema(source, schema);
    return statuses;
  } finally {
    if (source !== db) await source.close();
  }
}

async function verifySchema(db: Database, schema: string): Promise<ServiceChainStatus> {
  try {
    const [found] = await db.query<{ events: boolean; streams: boolean }>(
      'SELECT pg_catalog.to_regclass($1) IS NOT NULL AS events, pg_catalog.to_regclass($2) IS NOT NULL AS streams',
      [`"${schema}".events`, `"${schema}".streams`],
    );
    if (!found?.events || !found.streams) return { ok: null, reason: `no event log "${schema}".events in this database (see MGOV_AUDIT_VERIFY_SCHEMAS)` };
    return await verifyChains(db, schema);
  } catch (error) {
    return { ok: null, reason: `cannot read "${schema}": ${(error as Error).message}` };
  }
}

export function chainsReport(ledger: LedgerVerification, services: Record<string, ServiceChainStatus>, ledgerName: string): ChainsReport {
  if (!ledger.ok) return { ok: false, firstBroken: { chain: ledgerName, ...ledger.firstBroken }, ledger, services };
  const broken = Object.entries(services).find(([, status]) => status.ok === false);
  if (broken) {
    const [schema, status] = broken as [string, { firstBroken: BrokenLink }];
    const { position, reason, streamId, streamVersion } = status.firstBroken;
    return { ok: false, firstBroken: { chain: schema, position, reason: `stream ${streamId} version ${streamVersion}: ${reason}` }, ledger, services };
  }
  return { ...ledger, ledger, services };
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return 'an unparsable URL';
  }
}
