import type { Command } from 'commander';
import { positiveInteger } from './arguments';
import { VerificationFailed } from './failures';
import { cliOf, leaf } from './global-options';
import { type Column, listTable, recordTable } from './tables';

interface AuditEvent {
  readonly position: string;
  readonly type: string;
  readonly service: string;
  readonly streamId: string;
  readonly occurredAt: string;
  readonly actor: { readonly id: string; readonly role: string };
  readonly correlationId: string;
}

type Verification =
  | { readonly ok: true; readonly entries: number; readonly lastPosition: string; readonly headHash: string }
  | { readonly ok: false; readonly firstBroken: { readonly position: string; readonly reason: string } };

interface EventsOptions {
  readonly subject?: string;
  readonly type?: string;
  readonly correlationId?: string;
  readonly actor?: string;
  readonly service?: string;
  readonly from?: string;
  readonly to?: string;
  readonly limit?: string;
  readonly after?: string;
}

const eventColumns: readonly Column<AuditEvent>[] = [
  { header: 'position', value: (e) => e.position },
  { header: 'occurred', value: (e) => e.occurredAt },
  { header: 'type', value: (e) => e.type },
  { header: 'service', value: (e) => e.service },
  { header: 'stream', value: (e) => e.streamId },
  { header: 'actor', value: (e) => `${e.actor.id} (${e.actor.role})` },
  { header: 'correlation', value: (e) => e.correlationId },
];

export function addAuditCommands(program: Command): void {
  const audit = program.command('audit').description('the hash-chained audit ledger (audit)');

  leaf(audit, 'events', 'query ledger events, oldest first (GET /audit/events)')
    .option('--subject <subject>', 'events linked to a subject, e.g. model-version:credit-risk:1')
    .option('--type <type>', 'event type, e.g. ModelQuarantined')
    .option('--correlation-id <id>', 'one governance flow')
    .option('--actor <id>', 'events by this actor')
    .option('--service <service>', 'the service that recorded it, e.g. registry')
    .option('--from <instant>', 'occurred at or after (ISO 8601, e.g. 2030-01-31T12:00:00Z)')
    .option('--to <instant>', 'occurred before (ISO 8601)')
    .option('--limit <n>', 'page size (1–1000, server default 100)')
    .option('--after <position>', 'continue after this ledger position (a previous page\'s nextCursor)')
    .action(async (options: EventsOptions, command: Command) => {
      const cli = cliOf(command);
      const { subject, type, correlationId, actor, service, from, to, limit, after } = options;
      const page = await cli.api.get<{ events: AuditEvent[]; nextCursor: string | null }>('/audit/events', {
        subject, type, correlationId, actor, service, from, to, limit, after,
      });
      cli.out.show(page, (p) => listTable(p.events, eventColumns));
      if (page.nextCursor !== null && cli.out.format === 'table') cli.out.note(`more events: add --after ${page.nextCursor}`);
    });

  leaf(audit, 'chain', 'every event about a model version and its upstream, verified (GET /audit/model-versions/:name/:version/chain)')
    .argument('<name>', 'model name')
    .argument('<version>', 'version number', positiveInteger)
    .action(async (name: string, version: number, _options: object, command: Command) => {
      const cli = cliOf(command);
      const chain = await cli.api.get<{ modelVersion: string; events: AuditEvent[]; verification: Verification }>(
        `/audit/model-versions/${encodeURIComponent(name)}/${version}/chain`,
      );
      cli.out.show(chain, (c) => `${c.modelVersion}\n${listTable(c.events, eventColumns)}\n${describe(c.verification)}`);
      failUnlessVerified(chain.verification);
    });

  leaf(audit, 'verify', 'recompute the whole ledger\'s hash chain; exit 3 when it is broken (GET /audit/verify)')
    .action(async (_options: object, command: Command) => {
      const cli = cliOf(command);
      const verification = await cli.api.get<Verification>('/audit/verify');
      cli.out.show(verification, (v) => recordTable(v.ok ? v : { ok: false, position: v.firstBroken.position, reason: v.firstBroken.reason }));
      failUnlessVerified(verification);
    });
}

function describe(verification: Verification): string {
  return verification.ok
    ? `ledger verified: ${verification.entries} entries through position ${verification.lastPosition}`
    : `LEDGER BROKEN at position ${verification.firstBroken.position}: ${verification.firstBroken.reason}`;
}

function failUnlessVerified(verification: Verification): void {
  if (!verification.ok) {
    throw new VerificationFailed(`audit ledger broken: first broken entry at position ${verification.firstBroken.position}: ${verification.firstBroken.reason}`);
  }
}
