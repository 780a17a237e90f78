import { Subject, UPSTREAM_SUBJECT_KINDS } from '@mgov/contracts';
import type { CommandMetadata } from '@mgov/decider';
import { type EventFilter, parseAccessLogFilter, parseEventFilter, parseModelVersionRef } from '@mgov/audit-domain';
import type { Sql } from '@mgov/event-store';
import type { ServiceRuntime } from '@mgov/service-runtime';
import { type AccessLogEntry, readAccessLog, recordAccess } from './access-log';
import { ledgerSchema, type LedgerVerification, verifyLedgerIn } from './ledger';
import { type AuditEvent, LEDGER_COLUMNS, type LedgerRow, toAuditEvent } from './ledger-row';

type RawQuery = Readonly<Record<string, unknown>>;
export type AuditRuntime = Pick<ServiceRuntime, 'db' | 'schema' | 'codec'>;

export interface EventPage {
  readonly events: AuditEvent[];
  readonly nextCursor: string | null;
}

export interface ModelVersionChain {
  readonly modelVersion: string;
  readonly events: AuditEvent[];
  /** The ledger verified from its first entry through the last event returned here. */
  readonly verification: LedgerVerification;
}

/**
 * A registry submission precedes the version number, so it links only its candidate: events that
 * share a candidate with the model version's own events belong to its story too.
 */
const COMPANION_KINDS = ['candidate'];

/** The governance query API over the ledger; every call is recorded in the access log. */
export class AuditQueries {
  private readonly s: string;

  constructor(private readonly runtime: AuditRuntime) {
    this.s = ledgerSchema(runtime.schema);
  }

  async events(raw: RawQuery, reader: CommandMetadata): Promise<EventPage> {
    const filter = parseEventFilter(raw);
    const { where, params } = eventConditions(filter);
    const limit = `$${params.push(filter.limit + 1)}`;
    const rows = await this.recorded(reader, { kind: 'events', filter }, async (tx) => {
      const found = await tx.query<LedgerRow>(
        `SELECT ${LEDGER_COLUMNS} FROM ${this.s}.ledger WHERE ${where.join(' AND ')} ORDER BY position LIMIT ${limit}`, params,
      );
      return { result: found, count: Math.min(found.length, filter.limit) };
    });
    const page = rows.slice(0, filter.limit);
    return { events: page.map((row) => toAuditEvent(row, this.runtime.codec)), nextCursor: rows.length > filter.limit ? page[page.length - 1].position : null };
  }

  /** Every event about a model version, plus the transitive upstream (runs, dataset versions, sources). */
  async modelVersionChain(name: unknown, version: unknown, reader: CommandMetadata): Promise<ModelVersionChain> {
    const ref = parseModelVersionRef(name, version);
    const modelVersion = Subject.modelVersion(ref.name, ref.version);
    const { rows, verification } = await this.recorded(reader, { kind: 'model-version-chain', modelVersion }, async (tx) => {
      await tx.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ');
      const found = await tx.query<LedgerRow>(this.chainSql(), [modelVersion, [...UPSTREAM_SUBJECT_KINDS], COMPANION_KINDS]);
      const through = found.length > 0 ? found[found.length - 1].position : '0';
      const checked = await verifyLedgerIn(tx, this.runtime.schema, { codec: this.runtime.codec, through });
      return { result: { rows: found, verification: checked }, count: found.length };
    });
    return { modelVersion, events: rows.map((row) => toAuditEvent(row, this.runtime.codec)), verification };
  }

  async verify(reader: CommandMetadata): Promise<LedgerVerification> {
    return this.recorded(reader, { kind: 'verify' }, async (tx) => {
      await tx.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ');
      const verification = await verifyLedgerIn(tx, this.runtime.schema, { codec: this.runtime.codec });
      return { result: verification, count: verification.ok ? verification.entries : 0 };
    });
  }

  async accessLog(raw: RawQuery, reader: CommandMetadata): Promise<{ entries: AccessLogEntry[]; nextCursor: string | null }> {
    const filter = parseAccessLogFilter(raw);
    return this.recorded(reader, { kind: 'access-log', filter }, async (tx) => {
      const page = await readAccessLog(tx, this.runtime.schema, filter);
      return { result: page, count: page.entries.length };
    });
  }

  /** Runs a read and records it in one transaction: no answer leaves without its access record. */
  private recorded<T>(reader: CommandMetadata, query: Record<string, unknown>, read: (tx: Sql) => Promise<{ result: T; count: number }>): Promise<T> {
    return this.runtime.db.transaction(async (tx) => {
      const { result, count } = await read(tx);
      await recordAccess(tx, this.runtime.schema, {
        at: reader.now, actor: reader.actor, correlationId: reader.correlationId ?? null, query, resultCount: count,
      });
      return result;
    });
  }

  private chainSql(): string {
    const s = this.s;
    return `WITH RECURSIVE
      direct AS (SELECT position, links FROM ${s}.ledger WHERE links @> ARRAY[$1::text] OR stream_id = $1::text),
      companions AS (
        SELECT e.position, e.links FROM ${s}.ledger e
         WHERE e.links && ARRAY(SELECT DISTINCT l FROM direct d, unnest(d.links) AS l WHERE split_part(l, ':', 1) = ANY($3::text[]))),
      described AS (SELECT position, links FROM direct UNION SELECT position, links FROM companions),
      upstream (subject) AS (
        SELECT l FROM described d, unnest(d.links) AS l WHERE split_part(l, ':', 1) = ANY($2::text[])
        UNION
        SELECT l FROM upstream u JOIN ${s}.ledger e ON e.stream_id = u.subject, unnest(e.links) AS l
         WHERE split_part(l, ':', 1) = ANY($2::text[])),
      chosen AS (SELECT position FROM described UNION SELECT e.position FROM ${s}.ledger e JOIN upstream u ON e.stream_id = u.subject)
    SELECT ${LEDGER_COLUMNS} FROM ${s}.ledger WHERE position IN (SELECT position FROM chosen) ORDER BY position`;
  }
}

function eventConditions(filter: EventFilter): { where: string[]; params: unknown[] } {
  const params: unknown[] = [filter.after];
  const where = ['position > $1'];
  const add = (condition: (placeholder: string) => string, value: unknown) => where.push(condition(`$${params.push(value)}`));
  if (filter.subject !== undefined) add((p) => `links @> ARRAY[${p}::text]`, filter.subject);
  if (filter.type !== undefined) add((p) => `event_type = ${p}`, filter.type);
  if (filter.correlationId !== undefined) add((p) => `correlation_id = ${p}`, filter.correlationId);
  if (filter.actor !== undefined) add((p) => `actor_id = ${p}`, filter.actor);
  if (filter.service !== undefined) add((p) => `source_service = ${p}`, filter.service);
  if (filter.from !== undefined) add((p) => `occurred_at >= ${p}::timestamptz`, filter.from);
  if (filter.to !== undefined) add((p) => `occurred_at < ${p}::timestamptz`, filter.to);
  return { where, params };
}
