import { Subject } from '@mgov/contracts';
import type { CommandMetadata } from '@mgov/decider';
import { parseAccessLogFilter, parseEventFilter, parseModelVersionRef } from '@mgov/audit-domain';
import { type AccessLogEntry, readAccessLog, recordedRead } from './access-log';
import { type AuditConfig, auditConfig } from './audit-config';
import { exportEvents, type ExportSink } from './audit-export';
import type { AuditRuntime } from './audit-runtime';
import { chainsReport, type ChainsReport, type OpenDatabase, verifyServiceChains } from './chain-verification';
import { DigestQueries } from './digest-queries';
import { eventConditions } from './event-conditions';
import { ledgerSchema, type LedgerVerification, verifyLedger, verifyLedgerIn } from './ledger';
import { type AuditEvent, LEDGER_COLUMNS, type LedgerRow, toAuditEvent } from './ledger-row';
import { modelPassport, type RenderedPassport } from './model-passport';
import { readModelVersionChain } from './model-version-chain';
import { loadSigningKey } from './signing-key';

type RawQuery = Readonly<Record<string, unknown>>;
export type { AuditRuntime } from './audit-runtime';

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

export interface AuditQueryOptions {
  /** How `verify` reaches a separate database of service schemas (tests substitute it). */
  readonly openDatabase?: OpenDatabase;
  readonly exportPageSize?: number;
}

/** The governance query API over the ledger; every read of audit data is recorded in the access log. */
export class AuditQueries {
  readonly digests: DigestQueries;
  private readonly s: string;

  constructor(private readonly runtime: AuditRuntime, private readonly config: AuditConfig = auditConfig(), private readonly options: AuditQueryOptions = {}) {
    this.s = ledgerSchema(runtime.schema);
    this.digests = new DigestQueries(runtime, this.signingKey);
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
      const found = await readModelVersionChain(tx, this.s, modelVersion);
      const through = found.length > 0 ? found[found.length - 1].position : '0';
      const checked = await verifyLedgerIn(tx, this.runtime.schema, { codec: this.runtime.codec, through });
      return { result: { rows: found, verification: checked }, count: found.length };
    });
    return { modelVersion, events: rows.map((row) => toAuditEvent(row, this.runtime.codec)), verification };
  }

  /** The model passport of `name:version` as JSON, Markdown or HTML (`format` in `raw`). */
  passport(name: unknown, version: unknown, raw: RawQuery, reader: CommandMetadata): Promise<RenderedPassport> {
    return modelPassport(this.runtime, this.signingKey, { name, version }, raw, reader);
  }

  /** Streams the matching events to `sink` as JSON Lines or CSV; returns how many. */
  export(raw: RawQuery, reader: CommandMetadata, sink: ExportSink): Promise<number> {
    return exportEvents(this.runtime, raw, reader, sink, this.options.exportPageSize);
  }

  /**
   * Recomputes the ledger and every configured service's own chains, then records the read. Each
   * verification runs its own snapshots (the ledger's in parallel ranges on PostgreSQL), so they
   * run before the recording transaction: on the embedded database a transaction inside another
   * would wait for it forever.
   */
  async verify(reader: CommandMetadata): Promise<ChainsReport> {
    const services = await verifyServiceChains(this.runtime.db, this.config.verify, this.options.openDatabase);
    const ledger = await verifyLedger(this.runtime.db, this.runtime.schema, { codec: this.runtime.codec });
    const serviceEvents = Object.values(services).reduce((sum, status) => sum + (status.ok === true ? status.events : 0), 0);
    return this.recorded(reader, { kind: 'verify' }, async () => ({
      result: chainsReport(ledger, services, 'ledger'), count: (ledger.ok ? ledger.entries : 0) + serviceEvents,
    }));
  }

  async accessLog(raw: RawQuery, reader: CommandMetadata): Promise<{ entries: AccessLogEntry[]; nextCursor: string | null }> {
    const filter = parseAccessLogFilter(raw);
    return this.recorded(reader, { kind: 'access-log', filter }, async (tx) => {
      const page = await readAccessLog(tx, this.runtime.schema, filter);
      return { result: page, count: page.entries.length };
    });
  }

  // Loaded on first use: a deployment that never signs nor checks digests needs no key.
  private readonly signingKey = () => loadSigningKey(this.config.digests);

  private recorded<T>(reader: CommandMetadata, query: Record<string, unknown>, read: Parameters<typeof recordedRead<T>>[4]): Promise<T> {
    return recordedRead(this.runtime.db, this.runtime.schema, reader, query, read);
  }
}
