import type { EnvelopedEvent } from '@mgov/contracts';
import { type EmbeddedDatabase, embeddedDatabase } from '@mgov/event-store';
import { apiKeyProjection, findProjectedApiKey } from '../src/api-key-projection';
import type { DecodedMessage } from '../src/service-module';

const schema = 'mgov_keys_test';
const envelope = (eventId: string) => ({
  eventId, eventType: 'x', streamId: 'api-key:k1k2k3k4', streamVersion: 1, occurredAt: 1_790_000_000_000,
  actor: { id: 'ada', role: 'admin' }, correlationId: 'c', causationId: null, traceparent: null, tracestate: null, links: [],
});
const message = (event: Omit<EnvelopedEvent, 'envelope'>, eventId: string): DecodedMessage => ({
  kind: 'event', event: { ...event, envelope: envelope(eventId) } as EnvelopedEvent, topic: 'mgov.audit.events', bytes: Buffer.alloc(0), partition: 0, offset: '0',
});
const issued = message({
  type: 'ApiKeyIssued',
  data: { keyId: 'k1k2k3k4', name: 'dana', roles: ['data-steward'], secretHash: 'ab'.repeat(32), hashAlgorithm: 'sha256', expiresAt: 1_800_000_000_000 },
}, 'e1');
const revoked = message({ type: 'ApiKeyRevoked', data: { keyId: 'k1k2k3k4', reason: '' } }, 'e2');

describe('the api-keys projection every service runs', () => {
  let db: EmbeddedDatabase;
  const projection = apiKeyProjection(schema);
  const project = (...messages: DecodedMessage[]) => db.transaction(async (tx) => {
    for (const m of messages) await projection.handle(tx, m);
  });

  beforeEach(async () => {
    db = await embeddedDatabase();
    await db.query(`CREATE SCHEMA ${schema}`);
    await db.transaction((tx) => projection.setup!(tx));
  });
  afterEach(() => db.close());

  it('listens to audit\'s events only', () => {
    expect(projection).toMatchObject({ name: 'api-keys', topics: ['mgov.audit.events'] });
  });

  it('knows an issued key by id: hash, roles and expiry, never more', async () => {
    expect(await findProjectedApiKey(db, schema, 'k1k2k3k4')).toBeNull();
    await project(issued);
    expect(await findProjectedApiKey(db, schema, 'k1k2k3k4')).toEqual({
      keyId: 'k1k2k3k4', name: 'dana', roles: ['data-steward'], secretHash: 'ab'.repeat(32), expiresAt: 1_800_000_000_000, revoked: false,
    });
  });

  it('gives the same answer when events are replayed, and keeps a revocation that overtook its issue', async () => {
    await project(issued, revoked, issued, revoked);
    const once = await findProjectedApiKey(db, schema, 'k1k2k3k4');
    expect(once).toMatchObject({ revoked: true });
    await db.query(`TRUNCATE ${schema}.api_keys_v1`);
    await project(revoked);
    expect(await findProjectedApiKey(db, schema, 'k1k2k3k4')).toBeNull();
    await project(issued);
    expect(await findProjectedApiKey(db, schema, 'k1k2k3k4')).toEqual(once);
  });

  it('ignores everything but key events', async () => {
    await project({ kind: 'prediction', prediction: {} as never, topic: 'mgov.predictions' }, message({ type: 'RunRefused', data: { runId: 'r', experimentName: 'e', datasetVersionId: 'd', reason: 'x' } }, 'e3'));
    expect(await db.query(`SELECT * FROM ${schema}.api_keys_v1`)).toEqual([]);
  });
});
