import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { avroCodec, type EnvelopedEvent } from '@mgov/contracts';
import type { CommandMetadata } from '@mgov/decider';
import type { Database } from '@mgov/event-store';
import { type AuditConfig, auditConfig } from './audit-config';
import { auditLedgerReactor } from './audit-ledger.reactor';
import { T0, topicOf } from './governance-flow.fixture';

export const codec = avroCodec();
export const auditor: CommandMetadata = { actor: { id: 'auditor', role: 'governance-auditor' }, now: T0 + 86_400_000, correlationId: 'audit-1' };

/**
 * A fresh ledger schema per test on whichever database `open` returns, a temporary key directory,
 * and helpers to fill and tamper with it. Call inside a `describe`.
 */
export function auditHarness(open: () => Promise<Database>, prefix: string) {
  const state = { db: undefined as unknown as Database, schema: '', keyDir: '', counter: 0, schemas: [] as string[] };
  const harness = {
    get db() {
      return state.db;
    },
    get schema() {
      return state.schema;
    },
    runtime: () => ({ db: state.db, schema: state.schema, codec, clock: { now: () => auditor.now } }),
    config: (overrides: Partial<AuditConfig['digests']> = {}, verify: Partial<AuditConfig['verify']> = {}): AuditConfig => {
      const base = auditConfig({});
      return { verify: { ...base.verify, schemas: [], ...verify }, digests: { ...base.digests, keyDir: state.keyDir, retryBaseMs: 5, ...overrides } };
    },
    /** A schema name of this run, dropped after all tests. */
    newSchema(kind: string): string {
      const schema = `${prefix}_${kind}_${++state.counter}`;
      state.schemas.push(schema);
      return schema;
    },
    async deliver(events: readonly EnvelopedEvent[]): Promise<void> {
      const reactor = auditLedgerReactor(harness.runtime());
      for (const event of events) {
        await state.db.transaction((tx) => reactor.handle(tx, {
          kind: 'event', event, topic: topicOf(event), bytes: codec.encodeEvent(event), partition: 0, offset: String(state.counter++),
        }));
      }
    },
    /** What a superuser (or the owner) can still do behind the append-only triggers. */
    asOwner: (table: string, trigger: string, statement: string, params: unknown[] = []) => state.db.transaction(async (tx) => {
      await tx.query(`ALTER TABLE ${table} DISABLE TRIGGER ${trigger}`);
      await tx.query(statement, params);
      await tx.query(`ALTER TABLE ${table} ENABLE TRIGGER ${trigger}`);
    }),
    positionOf: async (event: EnvelopedEvent) => (await state.db.query<{ position: string }>(
      `SELECT position FROM ${state.schema}.ledger WHERE event_id = $1`, [event.envelope.eventId],
    ))[0].position,
  };

  beforeAll(async () => {
    state.db = await open();
  });
  afterAll(async () => {
    for (const schema of state.schemas) await state.db.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await state.db.close();
  });
  beforeEach(async () => {
    state.schema = harness.newSchema('ledger');
    state.keyDir = mkdtempSync(join(tmpdir(), 'mgov-audit-keys-'));
    const reactor = auditLedgerReactor(harness.runtime());
    await state.db.transaction((tx) => reactor.setup!(tx));
  });
  afterEach(() => rmSync(state.keyDir, { recursive: true, force: true }));
  return harness;
}

export type AuditHarness = ReturnType<typeof auditHarness>;
