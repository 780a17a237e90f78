import { createHash } from 'node:crypto';
import { avroCodec, type EnvelopedEvent, EVENT_CONTEXT } from '@mgov/contracts';
import type { CommandMetadata } from '@mgov/decider';
import type { Database } from '@mgov/event-store';
import { AUDITED_TOPICS, auditLedgerReactor } from './audit-ledger.reactor';
import { AuditQueries } from './audit-queries';
import { FlowBuilder, governanceFlow, T0, topicOf } from './governance-flow.fixture';
import { LEDGER_GENESIS, verifyLedger } from './ledger';

const codec = avroCodec();
const auditor: CommandMetadata = { actor: { id: 'auditor', role: 'auditor' }, now: T0 + 86_400_000, correlationId: 'audit-1' };
const ids = (events: readonly { eventId?: string; envelope?: { eventId: string } }[]) => events.map((e) => e.eventId ?? e.envelope?.eventId);

/**
 * The ledger's behaviour, run against whichever database `open` returns (PGlite in the unit
 * suite, real PostgreSQL in the integration suite). Each test gets its own fresh schema.
 */
export function ledgerBehaviour(open: () => Promise<Database>, schemaPrefix: string): void {
  let db: Database;
  let schema: string;
  let counter = 0;
  const schemas: string[] = [];
  const runtime = () => ({ db, schema, codec });
  const deliver = (event: EnvelopedEvent) =>
    db.transaction((tx) => auditLedgerReactor(runtime()).handle(tx, { kind: 'event', event, topic: topicOf(event), bytes: codec.encodeEvent(event), partition: 0, offset: String(counter++) }));
  const deliverAll = async (events: readonly EnvelopedEvent[]) => {
    for (const event of events) await deliver(event);
  };
  const asOwner = (...statements: string[]) =>
    db.transaction(async (tx) => {
      for (const statement of statements) await tx.query(statement);
    });
  const positionOf = async (event: EnvelopedEvent) =>
    (await db.query<{ position: string }>(`SELECT position FROM ${schema}.ledger WHERE event_id = $1`, [event.envelope.eventId]))[0].position;

  beforeAll(async () => {
    db = await open();
  });
  afterAll(async () => {
    for (const s of schemas) await db.query(`DROP SCHEMA IF EXISTS ${s} CASCADE`);
    await db.close();
  });
  beforeEach(async () => {
    schema = `${schemaPrefix}_${++counter}`;
    schemas.push(schema);
    const reactor = auditLedgerReactor(runtime());
    await db.transaction((tx) => reactor.setup!(tx));
    await db.transaction((tx) => reactor.setup!(tx)); // idempotent
  });

  it('subscribes to every context event topic', () => {
    expect(AUDITED_TOPICS).toEqual(expect.arrayContaining(['mgov.experiment.events', 'mgov.lineage.events', 'mgov.monitoring.events', 'mgov.registry.events', 'mgov.retraining.events']));
    expect(AUDITED_TOPICS).toEqual([...new Set(Object.values(EVENT_CONTEXT))].sort().map((context) => `mgov.${context}.events`));
  });

  it('chains each event as sha256(prev_hash || payload) over the exact stored bytes', async () => {
    const { all } = governanceFlow();
    await deliverAll(all);
    const rows = await db.query<{ position: string; event_id: string; payload: Buffer; prev_hash: Buffer; hash: Buffer; source_topic: string; trace_id: string }>(
      `SELECT position, event_id, payload, prev_hash, hash, source_topic, trace_id FROM ${schema}.ledger ORDER BY position`,
    );
    expect(rows.map((r) => r.event_id)).toEqual(ids(all));
    let previous = LEDGER_GENESIS;
    for (const [i, row] of rows.entries()) {
      expect(row.prev_hash.equals(previous)).toBe(true);
      expect(row.hash.equals(createHash('sha256').update(row.prev_hash).update(row.payload).digest())).toBe(true);
      expect(row.payload.equals(codec.encodeEvent(all[i]))).toBe(true);
      expect(codec.decodeEvent(row.payload)).toEqual(all[i]);
      expect(row.source_topic).toBe(topicOf(all[i]));
      expect(row.trace_id).toBe(all[i].envelope.traceparent!.split('-')[1]);
      previous = row.hash;
    }
    const [head] = await db.query<{ entries: string; last_hash: Buffer }>(`SELECT entries, last_hash FROM ${schema}.ledger_head`);
    expect(Number(head.entries)).toBe(all.length);
    expect(head.last_hash.equals(previous)).toBe(true);
  });

  it('records a redelivered event once and leaves the head where it was', async () => {
    const { all } = governanceFlow();
    await deliverAll(all.slice(0, 3));
    const before = await db.query(`SELECT * FROM ${schema}.ledger_head`);
    await deliver(all[1]);
    await deliver(all[2]);
    expect(await db.query(`SELECT count(*)::int AS n FROM ${schema}.ledger`)).toEqual([{ n: 3 }]);
    expect(await db.query(`SELECT * FROM ${schema}.ledger_head`)).toEqual(before);
    expect(await verifyLedger(db, schema)).toMatchObject({ ok: true, entries: 3 });
  });

  it('serializes concurrent appends onto one chain', async () => {
    const flow = new FlowBuilder();
    const events = Array.from({ length: 24 }, (_, i) =>
      flow.add('RunCompleted', { runId: `r${i}`, metrics: {}, artifactDigest: null, experimentId: '', user: '', status: 'FINISHED', params: {}, artifacts: [], datasetVersionIds: [], unknownInputs: [], dataUnverified: false }, `run:r${i}`, [`run:r${i}`], { id: 's', role: 'service' }, 'c'));
    await Promise.all(events.map(deliver));
    expect(await verifyLedger(db, schema, { pageSize: 5 })).toMatchObject({ ok: true, entries: 24 });
  });

  it('rejects UPDATE, DELETE and TRUNCATE of the ledger, and removing its head', async () => {
    await deliverAll(governanceFlow().all.slice(0, 2));
    const appendOnly = { code: 'EVENT_STORE.APPEND_ONLY' };
    await expect(db.query(`UPDATE ${schema}.ledger SET actor_id = 'mallory'`)).rejects.toMatchObject(appendOnly);
    await expect(db.query(`UPDATE ${schema}.ledger SET actor_id = 'mallory' WHERE false`)).rejects.toMatchObject(appendOnly);
    await expect(db.query(`DELETE FROM ${schema}.ledger`)).rejects.toMatchObject(appendOnly);
    await expect(db.query(`TRUNCATE ${schema}.ledger`)).rejects.toMatchObject(appendOnly);
    await expect(db.query(`DELETE FROM ${schema}.ledger_head`)).rejects.toMatchObject(appendOnly);
    await expect(db.query(`UPDATE ${schema}.access_log SET actor_id = 'mallory'`)).rejects.toMatchObject(appendOnly);
    expect(await verifyLedger(db, schema)).toMatchObject({ ok: true, entries: 2 });
  });

  it('verifies an empty ledger and an intact one', async () => {
    expect(await verifyLedger(db, schema)).toEqual({ ok: true, entries: 0, lastPosition: '0', headHash: '00'.repeat(32) });
    const { all } = governanceFlow();
    await deliverAll(all);
    const result = await verifyLedger(db, schema, { pageSize: 4 });
    expect(result).toMatchObject({ ok: true, entries: all.length, lastPosition: await positionOf(all.at(-1)!) });
  });

  it('reports the first entry whose payload was changed behind the triggers', async () => {
    const { all } = governanceFlow();
    await deliverAll(all);
    const position = await positionOf(all[6]);
    await asOwner(
      `ALTER TABLE ${schema}.ledger DISABLE TRIGGER ledger_append_only`,
      `UPDATE ${schema}.ledger SET payload = payload || '\\x00'::bytea WHERE position = ${position}`,
      `ALTER TABLE ${schema}.ledger ENABLE TRIGGER ledger_append_only`,
    );
    expect(await verifyLedger(db, schema, { pageSize: 3 })).toEqual({
      ok: false, firstBroken: { position, reason: expect.stringContaining('payload or hash was altered') },
    });
  });

  it('reports a searchable column that no longer says what the hashed payload says', async () => {
    const { all } = governanceFlow();
    await deliverAll(all);
    const position = await positionOf(all[4]);
    await asOwner(
      `ALTER TABLE ${schema}.ledger DISABLE TRIGGER ledger_append_only`,
      `UPDATE ${schema}.ledger SET actor_id = 'mallory' WHERE position = ${position}`,
      `ALTER TABLE ${schema}.ledger ENABLE TRIGGER ledger_append_only`,
    );
    expect(await verifyLedger(db, schema)).toEqual({ ok: false, firstBroken: { position, reason: expect.stringContaining('actor_id') } });
  });

  it('reports removed entries, in the middle and at the end', async () => {
    const { all } = governanceFlow();
    await deliverAll(all);
    const [middle, next, last] = [await positionOf(all[3]), await positionOf(all[4]), await positionOf(all.at(-1)!)];
    const remove = (position: string) => asOwner(
      `ALTER TABLE ${schema}.ledger DISABLE TRIGGER ledger_append_only`,
      `DELETE FROM ${schema}.ledger WHERE position = ${position}`,
      `ALTER TABLE ${schema}.ledger ENABLE TRIGGER ledger_append_only`,
    );
    await remove(last);
    expect(await verifyLedger(db, schema)).toEqual({ ok: false, firstBroken: { position: last, reason: expect.stringContaining('chain head') } });
    await remove(middle);
    expect(await verifyLedger(db, schema)).toEqual({ ok: false, firstBroken: { position: next, reason: expect.stringContaining('prev_hash') } });
  });

  describe('queries', () => {
    let flow: ReturnType<typeof governanceFlow>;
    let queries: AuditQueries;
    beforeEach(async () => {
      flow = governanceFlow();
      await deliverAll(flow.all);
      queries = new AuditQueries(runtime());
    });

    const allPages = async (filter: Record<string, string>, limit: number) => {
      const pages: string[][] = [];
      let after = '0';
      for (;;) {
        const page = await queries.events({ ...filter, limit: String(limit), after }, auditor);
        pages.push(page.events.map((e) => e.eventId));
        if (page.nextCursor === null) return pages;
        expect(page.nextCursor).toBe(page.events.at(-1)!.position);
        after = page.nextCursor;
      }
    };

    it('return each event as JSON with its decoded data and hashes', async () => {
      const { events, nextCursor } = await queries.events({ limit: '1' }, auditor);
      const [first] = flow.all;
      expect(events).toEqual([{
        position: expect.stringMatching(/^\d+$/), eventId: first.envelope.eventId, type: 'SourceRegistered', service: 'lineage',
        streamId: 'source:crm', streamVersion: 1, occurredAt: new Date(T0).toISOString(), recordedAt: expect.any(String),
        actor: { id: 'steward', role: 'data-steward' }, correlationId: 'flow-v1', causationId: null,
        traceId: first.envelope.traceparent!.split('-')[1], links: ['source:crm'], data: first.data,
        hash: expect.stringMatching(/^[0-9a-f]{64}$/), prevHash: '00'.repeat(32),
      }]);
      expect(nextCursor).toBe(events[0].position);
    });

    it('filter by subject, with cursor paging', async () => {
      const about = flow.all.filter((e) => e.envelope.links.includes('model:churn'));
      expect(about).toHaveLength(8);
      const pages = await allPages({ subject: 'model:churn' }, 3);
      expect(pages.map((p) => p.length)).toEqual([3, 3, 2]);
      expect(pages.flat()).toEqual(ids(about));
    });

    it('filter by type, correlation id, actor, service and time range', async () => {
      const where = (p: (e: EnvelopedEvent) => boolean) => ids(flow.all.filter(p));
      const found = async (filter: Record<string, string>) => (await queries.events(filter, auditor)).events.map((e) => e.eventId);
      expect(await found({ type: 'RunStarted' })).toEqual(where((e) => e.type === 'RunStarted'));
      expect(await found({ correlationId: 'flow-v2' })).toEqual(ids(flow.unrelatedToV1));
      expect((await allPages({ correlationId: 'flow-v1' }, 2)).flat()).toEqual(where((e) => e.envelope.correlationId === 'flow-v1'));
      expect(await found({ actor: 'reviewer' })).toHaveLength(4);
      expect(await found({ service: 'registry', actor: 'reviewer', type: 'ModelVersionRegistered' })).toHaveLength(2);
      expect(await found({ from: new Date(T0 + 120_000).toISOString(), to: new Date(T0 + 240_000).toISOString() })).toEqual(ids(flow.all.slice(2, 4)));
      expect(await found({ subject: 'source:nowhere' })).toEqual([]);
    });

    it('give a model version with its upstream runs, dataset versions and sources, in ledger order, each once', async () => {
      const chain = await queries.modelVersionChain('churn', '1', auditor);
      expect(chain.modelVersion).toBe('model-version:churn:1');
      expect(chain.events.map((e) => e.eventId)).toEqual(ids(flow.v1Chain));
      expect(chain.events.map((e) => e.type)).toEqual([
        'SourceRegistered', 'SourceRegistered', 'DatasetVersionRegistered', 'DatasetVersionRegistered', 'DatasetVersionClearedForTraining',
        'RunStarted', 'RunCompleted', 'ModelVersionSubmitted', 'ModelVersionApproved', 'ModelVersionRegistered', 'DataDriftDetected', 'ModelQuarantined',
      ]);
      expect(chain.verification).toMatchObject({ ok: true, lastPosition: chain.events.at(-1)!.position });
      const unrelated = new Set(ids(flow.unrelatedToV1));
      expect(chain.events.filter((e) => unrelated.has(e.eventId))).toEqual([]);
      expect((await queries.modelVersionChain('churn', 7, auditor)).events).toEqual([]);
    });

    it('record every read in the access log: who, what, when, how many', async () => {
      await queries.events({ type: 'RunStarted' }, auditor);
      await queries.modelVersionChain('churn', '1', { ...auditor, actor: { id: 'regulator', role: 'external-auditor' } });
      await queries.verify(auditor);
      const { entries, nextCursor } = await queries.accessLog({}, auditor);
      expect(nextCursor).toBeNull();
      expect(entries).toEqual([
        expect.objectContaining({ actor: auditor.actor, correlationId: 'audit-1', at: new Date(auditor.now).toISOString(), resultCount: 2,
          query: { kind: 'events', filter: { type: 'RunStarted', after: '0', limit: 100 } } }),
        expect.objectContaining({ actor: { id: 'regulator', role: 'external-auditor' }, resultCount: 12,
          query: { kind: 'model-version-chain', modelVersion: 'model-version:churn:1' } }),
        expect.objectContaining({ resultCount: flow.all.length, query: { kind: 'verify' } }),
      ]);
      const regulatorOnly = await queries.accessLog({ actor: 'regulator', limit: '5' }, auditor);
      expect(regulatorOnly.entries).toHaveLength(1);
      expect((await queries.accessLog({}, auditor)).entries.map((e) => (e.query as { kind: string }).kind)).toEqual([
        'events', 'model-version-chain', 'verify', 'access-log', 'access-log',
      ]);
    });

    it.each([
      [{ limit: 'abc' }], [{ limit: '1001' }], [{ limit: '0' }], [{ limit: '2.5' }], [{ after: '-1' }], [{ after: 'x' }],
      [{ from: 'yesterday' }], [{ to: '2030-02-30' }], [{ from: '2030-01-02T00:00:00' }], [{ from: '2030-01-02', to: '2030-01-01' }],
      [{ subjet: 'model:churn' }], [{ type: 'ModelDeployed' }], [{ service: 'billing' }], [{ type: ['RunStarted', 'RunCompleted'] }], [{ actor: '' }],
    ])('refuse an invalid event query %j with AUDIT.INVALID_QUERY', async (query) => {
      await expect(queries.events(query, auditor)).rejects.toMatchObject({ code: 'AUDIT.INVALID_QUERY', status: 400 });
    });

    it('refuse an invalid model version or access-log query with AUDIT.INVALID_QUERY', async () => {
      const refused = { code: 'AUDIT.INVALID_QUERY', status: 400 };
      await expect(queries.modelVersionChain('churn', 'latest', auditor)).rejects.toMatchObject(refused);
      await expect(queries.modelVersionChain('churn', '0', auditor)).rejects.toMatchObject(refused);
      await expect(queries.modelVersionChain('', '1', auditor)).rejects.toMatchObject(refused);
      await expect(queries.accessLog({ limit: '5000' }, auditor)).rejects.toMatchObject(refused);
      await expect(queries.events({ limit: '1000', from: '2030-01-01', to: '2030-01-01T09:03:00+00:00' }, auditor)).resolves.toMatchObject({ nextCursor: null });
    });
  });
}
