import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { UsageError, VerificationFailed } from './failures';
import { cliOf, leaf } from './global-options';
import { listTable, recordTable } from './tables';

interface BrokenAt {
  readonly position: string;
  readonly reason: string;
}

export type LedgerVerification =
  | { readonly ok: true; readonly entries: number; readonly lastPosition: string; readonly headHash: string }
  | { readonly ok: false; readonly firstBroken: BrokenAt };

type ServiceChainStatus =
  | { readonly ok: true; readonly events: number }
  | { readonly ok: false; readonly firstBroken: BrokenAt & { readonly streamId?: string; readonly streamVersion?: number } }
  | { readonly ok: null; readonly reason: string };

/** GET /audit/verify: the ledger at the top level, plus (newer servers) `ledger` and every service's own chains. */
type ChainsReport = (LedgerVerification | { readonly ok: false; readonly firstBroken: BrokenAt & { readonly chain?: string } }) & {
  readonly ledger?: LedgerVerification;
  readonly services?: Readonly<Record<string, ServiceChainStatus>>;
};

/** POST /audit/verify-digest. */
interface DigestVerification {
  readonly ok: boolean;
  readonly signature: 'valid' | 'invalid' | 'unknown-key';
  readonly position: string;
  readonly firstBroken?: BrokenAt;
  readonly reason?: string;
}

interface ChainRow {
  readonly chain: string;
  readonly status: string;
  readonly position: string;
  readonly detail: string;
}

export function addAuditVerifyCommands(audit: Command): void {
  leaf(audit, 'verify', 'recompute the ledger and every service chain (GET /audit/verify), or check a signed digest (--digest); exit 3 when broken')
    .option('--digest <file>', 'a digest document (as `mgov audit digest latest --format json` prints it): POST /audit/verify-digest')
    .action(async (options: { digest?: string }, command: Command) => {
      const cli = cliOf(command);
      if (options.digest !== undefined) {
        const document = readDigest(options.digest);
        const result = await cli.api.post<DigestVerification>('/audit/verify-digest', document);
        cli.out.show(result, (r) => recordTable({ ...r, firstBroken: r.firstBroken?.position, reason: r.firstBroken?.reason ?? r.reason }, ['ok', 'signature', 'position', 'firstBroken', 'reason']));
        if (!result.ok || result.signature !== 'valid') throw new VerificationFailed(digestFailure(result));
        return;
      }
      const report = await cli.api.get<ChainsReport>('/audit/verify');
      const rows = chainRows(report);
      cli.out.show(report, () => listTable(rows, [
        { header: 'chain', value: (r) => r.chain },
        { header: 'status', value: (r) => r.status },
        { header: 'position', value: (r) => r.position },
        { header: 'detail', value: (r) => r.detail },
      ]));
      const broken = rows.filter((row) => row.status === 'BROKEN');
      if (!report.ok || broken.length > 0) {
        const lines = broken.length > 0 ? broken.map((row) => `${row.chain}: first broken entry at position ${row.position}: ${row.detail}`) : [`first broken entry at position ${firstBrokenOf(report).position}: ${firstBrokenOf(report).reason}`];
        throw new VerificationFailed(`audit verification failed:\n${lines.map((line) => `  ${line}`).join('\n')}`);
      }
    });

  const digest = audit.command('digest').description('signed ledger digests (Ed25519 over the chain head)');

  leaf(digest, 'latest', 'the newest signed digest; save it with --format json > digest.json (GET /audit/digests/latest)')
    .action(async (_options: object, command: Command) => {
      const cli = cliOf(command);
      cli.out.show(await cli.api.get<Record<string, unknown>>('/audit/digests/latest'), (d) => recordTable(d));
    });

  leaf(digest, 'public-key', 'the public key that verifies digests, e.g. for openssl (GET /audit/digests/public-key)')
    .action(async (_options: object, command: Command) => {
      const cli = cliOf(command);
      cli.out.show(await cli.api.get<Record<string, unknown>>('/audit/digests/public-key'), (k) => recordTable(k));
    });
}

export function failUnlessVerified(verification: LedgerVerification): void {
  if (!verification.ok) {
    throw new VerificationFailed(`audit ledger broken: first broken entry at position ${verification.firstBroken.position}: ${verification.firstBroken.reason}`);
  }
}

function firstBrokenOf(report: ChainsReport): BrokenAt {
  return report.ok ? { position: '', reason: '' } : report.firstBroken;
}

/** One row per chain: the ledger first, then each service schema; `ok: null` is "not checked", never a failure. */
function chainRows(report: ChainsReport): ChainRow[] {
  const ledger: LedgerVerification = report.ledger ?? (report.ok ? report : { ok: false, firstBroken: report.firstBroken });
  const rows: ChainRow[] = [
    ledger.ok
      ? { chain: 'ledger', status: 'ok', position: ledger.lastPosition, detail: `${ledger.entries} entries` }
      : { chain: 'ledger', status: 'BROKEN', position: ledger.firstBroken.position, detail: ledger.firstBroken.reason },
  ];
  for (const [schema, status] of Object.entries(report.services ?? {})) {
    if (status.ok === true) rows.push({ chain: schema, status: 'ok', position: '', detail: `${status.events} events` });
    else if (status.ok === false) {
      const { position, reason, streamId, streamVersion } = status.firstBroken;
      const stream = streamId === undefined ? '' : `stream ${streamId} version ${String(streamVersion)}: `;
      rows.push({ chain: schema, status: 'BROKEN', position, detail: `${stream}${reason}` });
    } else rows.push({ chain: schema, status: 'not checked', position: '', detail: `not checked: ${status.reason}` });
  }
  return rows;
}

function digestFailure(result: DigestVerification): string {
  if (result.signature !== 'valid') return `digest at position ${result.position} does not verify: signature ${result.signature}${result.reason ? `: ${result.reason}` : ''}`;
  if (result.firstBroken) return `digest at position ${result.position}: ledger broken since it was signed: first broken entry at position ${result.firstBroken.position}: ${result.firstBroken.reason}`;
  return `digest at position ${result.position} does not verify${result.reason ? `: ${result.reason}` : ''}`;
}

/** The digest file as JSON: unreadable, not JSON, or not a digest document is a usage error (exit 2), nothing sent. */
function readDigest(file: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new UsageError(`${file}: cannot read the digest file (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`${file}: not valid JSON (${(error as Error).message.split('\n')[0]})`);
  }
  if (typeof document !== 'object' || document === null || Array.isArray(document)) throw new UsageError(`${file}: expected a digest document (a JSON object), found ${Array.isArray(document) ? 'an array' : typeof document === 'object' ? 'null' : `a ${typeof document}`}`);
  const missing = ['position', 'headHash', 'signature'].filter((field) => typeof (document as Record<string, unknown>)[field] !== 'string');
  if (missing.length > 0) throw new UsageError(`${file}: not a digest document: no ${missing.join(', ')} (save one with \`mgov audit digest latest --format json > ${file}\`)`);
  return document as Record<string, unknown>;
}
