import { avroCodec } from '@mgov/contracts';
import { type Database, postgresDatabase, type Sql } from '@mgov/event-store';
import { auditLedgerReactor } from './audit-ledger.reactor';
import { AuditQueries } from './audit-queries';
import { governanceFlow, topicOf } from './governance-flow.fixture';
import { migrateLedger } from './ledger';
import { grantLedgerAccess } from './ledger-grants';
import { ledgerBehaviour } from './ledger.suite';

const url = process.env.MGOV_DATABASE_URL;
const run = `audit_it_${process.pid}_${Date.now().toString(36)}`;
const codec = avroCodec();

// Needs a real PostgreSQL: `node tools/infra/run-with-infra.js npx jest services/audit`.
if (!(url)) throw new Error('a real PostgreSQL (and Kafka) is needed: run the suite with tools/infra/run-with-infra.js, which sets MGOV_DATABASE_URL and MGOV_KAFKA_BROKERS');
describe('audit ledger on PostgreSQL', () => {
  ledgerBehaviour(() => postgresDatabase(url!, { applicationName: 'mgov-audit-test' }), run);
});

describe('audit ledger under a service role on PostgreSQL', () => {
  const schema = `${run}_role`;
  const role = `${run}_app`;
  let owner: Database;
  let asService: Database;

  beforeAll(async () => {
    owner = await postgresDatabase(url!, { applicationName: 'mgov-audit-test' });
    await migrateLedger(owner, schema);
    await owner.query(`CREATE ROLE ${role} NOLOGIN`);
    await grantLedgerAccess(owner, schema, role);
    const inRole = <T>(work: (tx: Sql) => Promise<T>) => owner.transaction(async (tx) => {
      await tx.query(`SET LOCAL ROLE ${role}`);
      return work(tx);
    });
    asService = { ...owner, query: (text, params) => inRole((tx) => tx.query(text, params)), transaction: inRole };
  });
  afterAll(async () => {
    await owner.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await owner.query(`DROP OWNED BY ${role}`);
    await owner.query(`DROP ROLE ${role}`);
    await owner.close();
  });

  it('sets up (nothing to do), appends and queries, but can neither change the ledger nor switch off its triggers', async () => {
    const reactor = auditLedgerReactor({ schema, codec });
    await asService.transaction((tx) => reactor.setup!(tx));
    const { all, v1Chain } = governanceFlow();
    for (const event of all) await asService.transaction((tx) => reactor.handle(tx, { kind: 'event', event, topic: topicOf(event), bytes: codec.encodeEvent(event), partition: 0, offset: '0' }));

    const denied = { code: 'EVENT_STORE.PERMISSION_DENIED' };
    await expect(asService.query(`UPDATE ${schema}.ledger SET actor_id = 'mallory'`)).rejects.toMatchObject(denied);
    await expect(asService.query(`DELETE FROM ${schema}.ledger`)).rejects.toMatchObject(denied);
    await expect(asService.query(`TRUNCATE ${schema}.ledger`)).rejects.toMatchObject(denied);
    await expect(asService.query(`ALTER TABLE ${schema}.ledger DISABLE TRIGGER ledger_append_only`)).rejects.toMatchObject(denied);
    await expect(asService.query(`DELETE FROM ${schema}.access_log`)).rejects.toMatchObject(denied);

    const queries = new AuditQueries({ db: asService, schema, codec });
    const reader = { actor: { id: 'auditor', role: 'auditor' }, now: Date.now(), correlationId: 'c' };
    expect(await queries.verify(reader)).toMatchObject({ ok: true, entries: all.length });
    expect((await queries.modelVersionChain('churn', '1', reader)).events).toHaveLength(v1Chain.length);
  });
});
