import { randomUUID } from 'node:crypto';
import { createEventStore, type Database, migrate } from '@mgov/event-store';
import { AuditQueries } from './audit-queries';
import { type AuditHarness, auditor, codec } from './audit-test-harness';
import { envelopeReader } from './envelope-reader';
import { columnsJson, VERIFY_COLUMNS, type VerifyRow } from './ledger-columns-json';
import { FlowBuilder, governanceFlow } from './governance-flow.fixture';
import { verifyLedger } from './ledger';

const readEnvelope = envelopeReader();

/** `GET /audit/verify` over the ledger and each configured service's own event-store chains. */
export function chainVerificationBehaviour(h: AuditHarness, separate?: { url: string; open: () => Promise<Database> }): void {
  const serviceLog = async (db: Database, kind: string) => {
    const schema = h.newSchema(kind);
    await migrate(db, schema);
    const store = createEventStore(db, schema);
    for (const stream of ['a', 'b']) {
      const events = [1, 2, 3].map((i) => ({ eventId: randomUUID(), type: 'Recorded', data: Buffer.from(`${stream}${i}`) }));
      await store.append(`${kind}-${stream}`, 0, events);
    }
    return schema;
  };
  const positions = (db: Database, schema: string) =>
    db.query<{ position: string; stream_id: string; stream_version: number }>(`SELECT position, stream_id, stream_version FROM ${schema}.events ORDER BY position`);

  it('writes the searchable columns as JSON in SQL exactly as from the payload, whatever the text holds', async () => {
    const flow = new FlowBuilder();
    const odd = { id: 'ünï "quoted" \\ back\nline\u0001 😀', role: 'röle\t' };
    flow.add('RunCompleted', { runId: 'r', metrics: {}, artifactDigest: null, experimentId: '', user: '', status: 'FINISHED', params: {}, artifacts: [], datasetVersionIds: [], unknownInputs: [], dataUnverified: false }, 'run:r', ['run:r', 'model:ä "b"', ''], odd, 'c\u001f');
    flow.add('RunCompleted', { runId: 's', metrics: {}, artifactDigest: null, experimentId: '', user: '', status: 'FINISHED', params: {}, artifacts: [], datasetVersionIds: [], unknownInputs: [], dataUnverified: false }, 'run:s', [], odd, 'c');
    await h.deliver([...governanceFlow().all, ...flow.events]);
    const rows = await h.db.query<VerifyRow>(`SELECT ${VERIFY_COLUMNS} FROM ${h.schema}.ledger ORDER BY position`);
    for (const row of rows) {
      const event = codec.decodeEvent(row.payload);
      expect(readEnvelope(row.payload)).toEqual({ type: event.type, envelope: event.envelope });
      expect(columnsJson(event.type, event.envelope)).toBe(row.columns_json);
    }
  });

  it('reads a page holding a hash of the wrong length row by row, and reports that entry', async () => {
    const { all } = governanceFlow();
    await h.deliver(all);
    const position = await h.positionOf(all[5]);
    await h.db.query(`ALTER TABLE ${h.schema}.ledger DROP CONSTRAINT ledger_hash_length_check`);
    await h.asOwner(`${h.schema}.ledger`, 'ledger_append_only', `UPDATE ${h.schema}.ledger SET hash = hash || '\\x00'::bytea WHERE position = ${position}`);
    expect(await new AuditQueries(h.runtime(), h.config()).verify(auditor)).toMatchObject({
      ok: false, firstBroken: { chain: 'ledger', position, reason: expect.stringContaining('hash is not sha256') },
    });
  });

  it('verifies in parallel ranges exactly as in one pass, wherever an entry goes missing', async () => {
    const { all } = governanceFlow();
    await h.deliver(all);
    const both = async () => [await verifyLedger(h.db, h.schema, { segments: 3, pageSize: 2 }), await verifyLedger(h.db, h.schema, { segments: 1 })];
    const [intact, reference] = await both();
    expect(intact).toEqual(reference);
    expect(intact).toMatchObject({ ok: true, entries: all.length });
    for (const index of [0, 5, 6, 7, 13, all.length - 1]) {
      const position = await h.positionOf(all[index]);
      const table = `${h.schema}.ledger`;
      await h.db.query(`CREATE TABLE ${h.schema}.removed (LIKE ${table})`);
      await h.asOwner(table, 'ledger_append_only',
        `WITH gone AS (DELETE FROM ${table} WHERE position = ${position} RETURNING *) INSERT INTO ${h.schema}.removed SELECT * FROM gone`);
      const [segmented, onePass] = await both();
      expect(segmented).toEqual(onePass);
      expect(segmented).toMatchObject({ ok: false });
      await h.db.query(`INSERT INTO ${table} SELECT * FROM ${h.schema}.removed`);
      await h.db.query(`DROP TABLE ${h.schema}.removed`);
    }
    expect((await both())[0]).toEqual(reference);
  });

  it('recomputes the ledger and every service chain, reporting each', async () => {
    await h.deliver(governanceFlow().all);
    const [lineage, registry] = [await serviceLog(h.db, 'lineage'), await serviceLog(h.db, 'registry')];
    const queries = new AuditQueries(h.runtime(), h.config({}, { schemas: [lineage, registry] }));
    const report = await queries.verify(auditor);
    expect(report).toMatchObject({ ok: true, entries: governanceFlow().all.length, ledger: { ok: true }, services: {
      [lineage]: { ok: true, events: 6 }, [registry]: { ok: true, events: 6 },
    } });
    const [access] = (await queries.accessLog({}, auditor)).entries;
    expect(access).toMatchObject({ query: { kind: 'verify' }, resultCount: governanceFlow().all.length + 12 });
  });

  it('finds the exact broken position in a service chain, and names the chain', async () => {
    await h.deliver(governanceFlow().all);
    const [lineage, registry] = [await serviceLog(h.db, 'lineage'), await serviceLog(h.db, 'registry')];
    const target = (await positions(h.db, registry))[4];
    await h.asOwner(`${registry}.events`, 'events_append_only', `UPDATE ${registry}.events SET data = 'forged' WHERE position = ${target.position}`);
    const report = await new AuditQueries(h.runtime(), h.config({}, { schemas: [lineage, registry] })).verify(auditor);
    expect(report).toMatchObject({
      ok: false,
      firstBroken: { chain: registry, position: target.position, reason: expect.stringContaining(`stream ${target.stream_id} version ${target.stream_version}`) },
      ledger: { ok: true },
      services: { [lineage]: { ok: true }, [registry]: { ok: false, firstBroken: { position: target.position, streamId: target.stream_id } } },
    });
  });

  it('reports a schema it cannot reach as ok: null, without failing the ledger', async () => {
    await h.deliver(governanceFlow().all.slice(0, 3));
    const lineage = await serviceLog(h.db, 'lineage');
    const missing = h.newSchema('missing');
    const report = await new AuditQueries(h.runtime(), h.config({}, { schemas: [lineage, missing] })).verify(auditor);
    expect(report).toMatchObject({
      ok: true, entries: 3, services: { [lineage]: { ok: true }, [missing]: { ok: null, reason: expect.stringContaining('no event log') } },
    });
    const unreachable = new AuditQueries(h.runtime(), h.config({}, { schemas: [lineage], databaseUrl: 'postgres://mgov@127.0.0.1:1/none' }), {
      openDatabase: separate ? undefined : () => Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:1')),
    });
    expect(await unreachable.verify(auditor)).toMatchObject({
      ok: true, services: { [lineage]: { ok: null, reason: expect.stringMatching(/cannot connect to MGOV_AUDIT_VERIFY_DATABASE_URL \(127\.0\.0\.1:1\)/) } },
    });
  });

  if (separate) {
    it('reads the service schemas through MGOV_AUDIT_VERIFY_DATABASE_URL when set', async () => {
      const other = await separate.open();
      try {
        const lineage = await serviceLog(other, 'lineage');
        const queries = new AuditQueries(h.runtime(), h.config({}, { schemas: [lineage], databaseUrl: separate.url }));
        expect(await queries.verify(auditor)).toMatchObject({ ok: true, services: { [lineage]: { ok: true, events: 6 } } });
      } finally {
        await other.close();
      }
    });
  }
}
