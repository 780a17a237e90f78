import type { EnvelopedEvent } from '@mgov/contracts';
import type { ReadModel } from '@mgov/service-runtime';
import { candidatesReadModel } from '../src/application/candidates-read-model';
import { deploymentsReadModel } from '../src/application/deployments-read-model';
import { modelVersionsReadModel } from '../src/application/model-versions-read-model';
import { ReviewPolicies } from '../src/application/review-policies';
import { safetensorsOfSize } from './safetensors';
import { databaseUrl, registryHost } from './registry-host';

const SCIENTIST: [string, string] = ['ada', 'data-scientist'];
const REVIEWER: [string, string] = ['grace', 'model-reviewer'];

// Every projection: the log in → the same rows out, replayed twice (consumers are idempotent).
if (!(databaseUrl)) throw new Error('a real PostgreSQL (and Kafka) is needed: run the suite with tools/infra/run-with-infra.js, which sets MGOV_DATABASE_URL and MGOV_KAFKA_BROKERS');
describe('registry read models replayed from the log', () => {
  const host = registryHost();

  it('rebuild the same rows when every event is handled twice', async () => {
    const dataset = await host.eligibleDataset();
    await host.call('POST', '/registry/policies/default', REVIEWER, { document: 'approval:\n  requiredApprovals: 1\n' });
    for (const seed of [1, 2]) {
      const model = await host.store('m/model.safetensors', safetensorsOfSize(seed));
      const sbom = await host.store('m/requirements.txt', Buffer.from('torch==2.4.0\n'));
      const runId = await host.finishedRun({ artifacts: [model, sbom], metrics: { accuracy: 0.9, 'fairness.sex.di': 0.95 }, datasetVersionIds: [dataset] });
      await host.call('POST', '/registry/models/replay/candidates', SCIENTIST, { candidateId: `c${seed}`, runId, artifactDigest: `sha256:${model.sha256}` });
    }
    await host.call('POST', '/registry/models/replay/candidates/c1/approve', REVIEWER, {});
    await host.call('POST', '/registry/models/replay/candidates/c2/reject', REVIEWER, { reason: 'duplicate' });
    await host.call('POST', '/registry/models/replay/deployments', ['eve', 'ml-engineer'], { version: 1, environment: 'staging' });
    await host.catchUp();

    const { runtime } = host;
    const models: Array<ReadModel & { table?: string }> = [
      candidatesReadModel(runtime.schema), modelVersionsReadModel(runtime.schema), deploymentsReadModel(runtime.schema),
      { ...new ReviewPolicies(runtime).readModel, table: `${runtime.schema}.review_policies_v1` },
    ];
    const rows: Array<{ data: Buffer }> = await runtime.db.query(`SELECT data FROM ${runtime.schema}.events ORDER BY position`);
    const events = rows.map((r) => runtime.codec.decodeEvent(r.data) as EnvelopedEvent);
    expect(events.map((e) => e.type)).toEqual(expect.arrayContaining(['ModelVersionRegistered', 'ModelVersionRejected', 'DeploymentRolledOut', 'ReviewPolicyPublished']));
    for (const model of models) {
      const table = model.table!;
      const snapshot = async () => JSON.stringify(await runtime.db.query(`SELECT * FROM ${table} ORDER BY 1, 2`));
      const before = await snapshot();
      expect(before).not.toBe('[]');
      await runtime.db.transaction(async (tx) => {
        await model.reset(tx);
        for (const event of [...events, ...events]) await model.handle(tx, event);
      });
      expect(await snapshot()).toBe(before);
    }
  });
});
