import { auditLedgerReactor } from './audit-ledger.reactor';
import { type AuditHarness, codec } from './audit-test-harness';
import { governanceFlow, topicOf } from './governance-flow.fixture';
import { migrateLedger, verifyLedger } from './ledger';
import { bulkAppendToLedger } from './ledger-bulk-load';

/** The bulk path builds exactly the chain the one-by-one path builds, and the one-by-one path continues it. */
export function bulkLoadBehaviour(h: AuditHarness): void {
  const chain = (schema: string) =>
    h.db.query<{ event_id: string; prev_hash: Buffer; hash: Buffer; links: string[]; source_service: string }>(
      `SELECT event_id, prev_hash, hash, links, source_service FROM ${schema}.ledger ORDER BY position`,
    );

  it('computes the same chain as appendToLedger, in batches, and verifies', async () => {
    const { all } = governanceFlow();
    await h.deliver(all);
    const bulk = h.newSchema('bulk');
    await migrateLedger(h.db, bulk);
    const entries = all.map((event, i) => ({ event, payload: codec.encodeEvent(event), source: { topic: topicOf(event), partition: 0, offset: String(i) } }));
    await h.db.transaction((tx) => bulkAppendToLedger(tx, bulk, entries.slice(0, 7)));
    await h.db.transaction((tx) => bulkAppendToLedger(tx, bulk, entries.slice(7)));
    expect(await chain(bulk)).toEqual(await chain(h.schema));
    const heads = async (schema: string) => (await h.db.query(`SELECT entries, last_hash FROM ${schema}.ledger_head`))[0];
    expect(await heads(bulk)).toEqual(await heads(h.schema));
    expect(await verifyLedger(h.db, bulk)).toMatchObject({ ok: true, entries: all.length });

    const more = governanceFlow().all.slice(0, 2);
    await h.deliver(more);
    for (const event of more) {
      await h.db.transaction((tx) => auditLedgerReactor({ schema: bulk, codec }).handle(tx, {
        kind: 'event', event, topic: topicOf(event), bytes: codec.encodeEvent(event), partition: 0, offset: '0',
      }));
    }
    expect(await chain(bulk)).toEqual(await chain(h.schema));
    expect(await verifyLedger(h.db, bulk)).toMatchObject({ ok: true, entries: all.length + more.length });
  });

  it('refuses a batch with an event id already in the ledger, leaving the chain as it was', async () => {
    const { all } = governanceFlow();
    await h.deliver(all.slice(0, 3));
    const entries = all.slice(2, 5).map((event) => ({ event, payload: codec.encodeEvent(event), source: { topic: topicOf(event), partition: null, offset: null } }));
    await expect(h.db.transaction((tx) => bulkAppendToLedger(tx, h.schema, entries))).rejects.toThrow();
    expect(await verifyLedger(h.db, h.schema)).toMatchObject({ ok: true, entries: 3 });
  });
}
