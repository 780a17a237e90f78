import { stringify } from 'csv-stringify/sync';
import { type ExportFormat, parseExportQuery } from '@mgov/audit-domain';
import type { CommandMetadata } from '@mgov/decider';
import { logger } from '@mgov/telemetry';
import { recordedRead } from './access-log';
import { csvCell } from './csv-cell';
import { eventConditions } from './event-conditions';
import { ledgerSchema } from './ledger.sql';
import { type AuditEvent, LEDGER_COLUMNS, type LedgerRow, toAuditEvent } from './ledger-row';
import type { AuditRuntime } from './audit-runtime';

/** Where an export goes, chunk by chunk (the HTTP response, in the service). */
export interface ExportSink {
  begin(contentType: string, filename: string): void;
  /** Resolves once more may be written (backpressure); rejects when the receiver has gone. */
  write(chunk: string): Promise<void>;
  end(): void;
}

const log = logger('audit');

const CSV_COLUMNS = [
  'position', 'eventId', 'type', 'service', 'streamId', 'streamVersion', 'occurredAt', 'recordedAt', 'actorId', 'actorRole',
  'correlationId', 'causationId', 'traceId', 'links', 'data', 'hash', 'prevHash',
] as const;

const CONTENT_TYPES: Record<ExportFormat, string> = { jsonl: 'application/x-ndjson; charset=utf-8', csv: 'text/csv; charset=utf-8' };

function csvRecord(e: AuditEvent): unknown[] {
  const { actor, links, data, ...rest } = e;
  const flat: Record<string, unknown> = { ...rest, actorId: actor.id, actorRole: actor.role, links: links.join(' '), data: JSON.stringify(data) };
  return CSV_COLUMNS.map((column) => csvCell(flat[column] ?? ''));
}

function render(format: ExportFormat, events: AuditEvent[], first: boolean): string {
  if (format === 'jsonl') return events.map((e) => `${JSON.stringify(e)}\n`).join('');
  return stringify(events.map(csvRecord), { header: first, columns: [...CSV_COLUMNS] });
}

/**
 * Streams every matching event up to the ledger head as it stood when the export began, page by
 * page in position order, so memory stays flat whatever the range. The access record (with the
 * exact count) is committed before the first byte leaves. Returns the number of events written.
 */
export async function exportEvents(runtime: AuditRuntime, raw: Readonly<Record<string, unknown>>, reader: CommandMetadata, sink: ExportSink, pageSize = 1000): Promise<number> {
  const { format, filter } = parseExportQuery(raw);
  const s = ledgerSchema(runtime.schema);
  const { where, params } = eventConditions(filter);
  // The ledger only grows and its positions are assigned under the head's lock, so every entry
  // up to the head read now is committed: the range is fixed, the pages need no shared snapshot.
  const [head] = await runtime.db.query<{ last_position: string }>(`SELECT last_position FROM ${s}.ledger_head WHERE singleton`);
  const through = head?.last_position ?? '0';
  const bounded = `${where.join(' AND ')} AND position <= $${params.length + 1}`;
  const expected = await recordedRead(runtime.db, runtime.schema, reader, { kind: 'export', format, filter, through }, async (tx) => {
    const [counted] = await tx.query<{ n: string }>(`SELECT count(*) AS n FROM ${s}.ledger WHERE ${bounded}`, [...params, through]);
    return { result: Number(counted.n), count: Number(counted.n) };
  });
  sink.begin(CONTENT_TYPES[format], `mgov-audit-${runtime.schema}-through-${through}.${format}`);
  let after = filter.after;
  let written = 0;
  for (;;) {
    const rows = await runtime.db.query<LedgerRow>(
      `SELECT ${LEDGER_COLUMNS} FROM ${s}.ledger WHERE ${bounded} ORDER BY position LIMIT $${params.length + 2}`,
      [after, ...params.slice(1), through, pageSize],
    );
    if (rows.length > 0 || written === 0) {
      const chunk = render(format, rows.map((row) => toAuditEvent(row, runtime.codec)), written === 0);
      if (chunk) await sink.write(chunk);
    }
    written += rows.length;
    if (rows.length < pageSize) break;
    after = rows[rows.length - 1].position;
  }
  sink.end();
  // Only an edit behind the triggers can make these differ: worth a loud line, not a failed export.
  if (written !== expected) log.error({ written, expected, through }, 'an export wrote a different number of events than it counted: run GET /audit/verify');
  return written;
}
