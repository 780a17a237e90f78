import { randomBytes, randomUUID } from 'node:crypto';
import type { DomainEvent, EnvelopedEvent } from '@mgov/contracts';
import { type Database, postgresDatabase } from '@mgov/event-store';
import { trainingData } from './training-data';

const url = process.env.MGOV_DATABASE_URL;
let at = Date.UTC(2030, 0, 1);

function enveloped(event: DomainEvent): EnvelopedEvent {
  return {
    ...event,
    envelope: {
      eventId: randomUUID(), eventType: event.type, streamId: 's', streamVersion: 1, occurredAt: (at += 1000), actor: { id: 'dana', role: 'data-steward' },
      correlationId: 'c', causationId: null, traceparent: null, tracestate: null, links: [],
    },
  } as EnvelopedEvent;
}
const registered = (id: string, parents: string[] = []): DomainEvent => ({
  type: 'DatasetVersionRegistered', data: { datasetVersionId: id, datasetName: 'loans', sourceIds: ['crm'], parentVersionIds: parents, transformation: null, rowCount: 1, columns: [] },
});
const cleared = (id: string, gate = 'privacy-gate+bias-scan'): DomainEvent => ({ type: 'DatasetVersionClearedForTraining', data: { datasetVersionId: id, gate, policyVersion: 'privacy:1+bias:1' } });

// Needs a real PostgreSQL: `node tools/infra/run-with-infra.js npx jest services/retraining`.
if (!(url)) throw new Error('a real PostgreSQL (and Kafka) is needed: run the suite with tools/infra/run-with-infra.js, which sets MGOV_DATABASE_URL and MGOV_KAFKA_BROKERS');
describe('training data for retraining (on PostgreSQL)', () => {
  const schema = `training_data_it_${randomBytes(3).toString('hex')}`;
  const { reactor, newestEligibleFor, modelVersion, servingDeployments } = trainingData(schema);
  let db: Database;
  const deliver = async (...events: DomainEvent[]) => {
    for (const event of events) {
      await db.transaction((tx) => reactor.handle(tx, { kind: 'event', event: enveloped(event), topic: 'mgov.lineage.events', bytes: Buffer.alloc(0), partition: 0, offset: '0' }));
    }
  };

  beforeAll(async () => {
    db = await postgresDatabase(url!);
    await db.query(`CREATE SCHEMA ${schema}`);
    await db.transaction((tx) => reactor.setup!(tx));
  });
  afterAll(async () => {
    await db.query(`DROP SCHEMA ${schema} CASCADE`);
    await db.close();
  });

  it('picks the newest version lineage made eligible through its gates: never a raw upload, never a stub clearance', async () => {
    await deliver(registered('raw1'), registered('gated1', ['raw1']), cleared('gated1'));
    await deliver({ type: 'ModelVersionRegistered', data: { modelName: 'm', version: 1, tag: 'm:1', digest: 'sha256:x', candidateId: 'c', runId: 'r', datasetVersionIds: ['gated1'], submittedBy: 'sam', approvedBy: [], metrics: {}, policyVersion: '' } });
    expect(await newestEligibleFor(db, 'm', 1)).toBeNull();

    await deliver(registered('raw2'), registered('stubbed'), cleared('stubbed', 'stub'));
    expect(await newestEligibleFor(db, 'm', 1)).toBeNull();

    await deliver(registered('gated2', ['raw2']));
    expect(await newestEligibleFor(db, 'm', 1)).toBeNull();
    await deliver(cleared('gated2', 'privacy-gate+bias-waiver'));
    expect(await newestEligibleFor(db, 'm', 1)).toBe('gated2');
  });

  it('drops a version whose eligibility lineage revoked, falling back to the next newest', async () => {
    await deliver(registered('gated3'), cleared('gated3'));
    expect(await newestEligibleFor(db, 'm', 1)).toBe('gated3');
    await deliver({ type: 'DatasetVersionTrainingEligibilityRevoked', data: { datasetVersionId: 'gated3', reason: 'license revoked', sourceIds: ['crm'] } });
    expect(await newestEligibleFor(db, 'm', 1)).toBe('gated2');
  });

  it('knows which deployments serve a model version', async () => {
    const rolledOut = (deploymentId: string, replaced: string | null = null): DomainEvent => ({
      type: 'DeploymentRolledOut', data: { deploymentId, modelName: 'm', version: 1, environment: 'production', location: 'gitops', replacedDeploymentId: replaced },
    });
    await deliver(rolledOut('d1'), rolledOut('d2'));
    expect(await servingDeployments(db, 'm', 1)).toEqual(['d1', 'd2']);
    await deliver({ type: 'DeploymentRolledBack', data: { deploymentId: 'd1', modelName: 'm', version: 1, environment: 'production', reason: 'quarantined', restoredVersion: null } }, rolledOut('d3', 'd2'));
    expect(await servingDeployments(db, 'm', 1)).toEqual(['d3']);
  });

  it('knows who submitted each model version', async () => {
    expect(await modelVersion(db, 'm', 1)).toEqual({ modelName: 'm', version: 1, digest: 'sha256:x', datasetVersionIds: ['gated1'], submittedBy: 'sam' });
    expect(await modelVersion(db, 'm', 2)).toBeNull();
  });
});
