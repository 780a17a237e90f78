import type { Command } from 'commander';
import { positiveInteger } from './arguments';
import { addAuditExportCommand } from './audit-export-command';
import { type AuditFilterOptions, auditFilterQuery, withAuditFilters } from './audit-filters';
import { addAuditPassportCommand } from './audit-passport-command';
import { addAuditVerifyCommands, failUnlessVerified, type LedgerVerification } from './audit-verify-commands';
import { cliOf, leaf } from './global-options';
import { type Column, listTable } from './tables';

interface AuditEvent {
  readonly position: string;
  readonly type: string;
  readonly service: string;
  readonly streamId: string;
  readonly occurredAt: string;
  readonly actor: { readonly id: string; readonly role: string };
  readonly correlationId: string;
  readonly links?: readonly string[];
}

const eventColumns: readonly Column<AuditEvent>[] = [
  { header: 'position', value: (e) => e.position },
  { header: 'time', value: (e) => e.occurredAt },
  { header: 'type', value: (e) => e.type },
  { header: 'service', value: (e) => e.service },
  { header: 'actor', value: (e) => `${e.actor.id} (${e.actor.role})` },
  { header: 'subject / stream', value: (e) => (e.links && e.links.length > 0 ? e.links : e.streamId) },
];

export function addAuditCommands(program: Command): void {
  const audit = program.command('audit').description('the hash-chained audit ledger: query, passport, verify, export (audit)');

  withAuditFilters(leaf(audit, 'query', 'query ledger events, oldest first (GET /audit/events)').alias('events'))
    .option('--limit <n>', 'page size (1–1000, server default 100)')
    .action(async (options: AuditFilterOptions & { limit?: string }, command: Command) => {
      const cli = cliOf(command);
      const page = await cli.api.get<{ events: AuditEvent[]; nextCursor: string | null }>('/audit/events', { ...auditFilterQuery(options), limit: options.limit });
      cli.out.show(page, (p) => listTable(p.events, eventColumns));
      if (page.nextCursor !== null && cli.out.format === 'table') cli.out.note(`more events: add --after ${page.nextCursor}`);
    });

  leaf(audit, 'chain', 'every event about a model version and its upstream, verified (GET /audit/model-versions/:name/:version/chain)')
    .argument('<name>', 'model name')
    .argument('<version>', 'version number', positiveInteger)
    .action(async (name: string, version: number, _options: object, command: Command) => {
      const cli = cliOf(command);
      const chain = await cli.api.get<{ modelVersion: string; events: AuditEvent[]; verification: LedgerVerification }>(
        `/audit/model-versions/${encodeURIComponent(name)}/${version}/chain`,
      );
      cli.out.show(chain, (c) => `${c.modelVersion}\n${listTable(c.events, eventColumns)}\n${describe(c.verification)}`);
      failUnlessVerified(chain.verification);
    });

  addAuditPassportCommand(audit);
  addAuditVerifyCommands(audit);
  addAuditExportCommand(audit);
}

function describe(verification: LedgerVerification): string {
  return verification.ok
    ? `ledger verified: ${verification.entries} entries through position ${verification.lastPosition}`
    : `LEDGER BROKEN at position ${verification.firstBroken.position}: ${verification.firstBroken.reason}`;
}
