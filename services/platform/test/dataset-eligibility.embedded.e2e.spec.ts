import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiError, type FlowCallers, issueFlowCallers, MgovClient } from '@mgov/demo-flow';
import type { RunningHost } from '@mgov/http-edge';
import { startEmbeddedPlatform } from '../src/embedded-platform';
import { bootstrapAdmin } from './access.fixture';

const CSV = 'id,sex,repaid\n' + Array.from({ length: 40 }, (_, i) => `${i},${i % 2 ? 'm' : 'f'},${i % 2 && i % 4 !== 1 ? 'no' : 'yes'}`).join('\n') + '\n';

// Experiment trains only on what lineage's gates made eligible, and its refusals say which gate is missing.
describe('training eligibility from lineage’s gates (embedded runtime)', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'mgov-eligibility-'));
  let host: RunningHost;
  let client: MgovClient;
  let callers: FlowCallers;
  const admin = bootstrapAdmin();
  const refusal = (datasetVersionId: string) => client.call('experiment', 'POST', '/experiment/runs', callers.scientist, { experimentName: 'e', datasetVersionIds: [datasetVersionId] })
    .then(() => null, (error: ApiError) => error);
  const seen = (id: string, what: (g: { privacy: string | null; bias: string | null; eligible: boolean }) => boolean) => client.eventually(`experiment to see ${id}`, async () =>
    what(await client.call('experiment', 'GET', `/experiment/datasets/${id}/eligibility`, callers.scientist)));

  beforeAll(async () => {
    host = await startEmbeddedPlatform({ dataDir, port: 0, bootstrapToken: admin.token, pseudonymizationKey: { value: 'e2e-pseudonymization-key-of-at-least-32-bytes' } });
    client = new MgovClient(() => host.url);
    callers = await issueFlowCallers(client, admin);
  }, 120_000);
  afterAll(async () => {
    await host?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('refuses runs on raw, gated-but-unscanned and flagged data, saying why, and accepts them once waived', async () => {
    const { steward } = callers;
    const { sourceId } = await client.call<{ sourceId: string }>('lineage', 'POST', '/lineage/sources', steward, { name: 's', kind: 'internal', license: 'MIT', owner: 'o' });
    await client.call('lineage', 'POST', '/lineage/datasets/loans/privacy-policy', steward, { quasiIdentifiers: ['sex'], drop: ['id'], k: 5 });
    await client.call('lineage', 'POST', '/lineage/datasets/loans/bias-policy', steward, { protectedAttributes: ['sex'], label: 'repaid', positive: 'yes' });
    const raw = await client.upload<{ datasetVersionId: string }>('lineage', `/lineage/datasets/loans/versions?format=csv&source=${sourceId}`, steward, CSV, 'text/csv');
    expect(await refusal(raw.datasetVersionId)).toMatchObject({ status: 422, code: 'EXPERIMENT.DATASET_NOT_ELIGIBLE', message: expect.stringContaining('not been cleared by the privacy gate') });

    const gate = await client.call<{ datasetVersionId: string; status: string }>('lineage', 'POST', `/lineage/dataset-versions/${raw.datasetVersionId}/privacy-gate`, steward, {});
    expect(gate.status).toBe('privacy-cleared');
    await seen(gate.datasetVersionId, (g) => g.privacy === 'cleared');
    expect(await refusal(gate.datasetVersionId)).toMatchObject({ message: expect.stringContaining('no passed bias scan yet') });

    const scan = await client.call<{ outcome: string }>('lineage', 'POST', `/lineage/dataset-versions/${gate.datasetVersionId}/bias-scan`, steward, {});
    expect(scan.outcome).toBe('flagged');
    await seen(gate.datasetVersionId, (g) => g.bias === 'flagged');
    expect(await refusal(gate.datasetVersionId)).toMatchObject({ message: expect.stringContaining('bias scan was flagged and has not been waived') });

    await client.call('lineage', 'POST', `/lineage/dataset-versions/${gate.datasetVersionId}/bias-waiver`, steward, { justification: 'men repay less in this sample; outcome is audited downstream' });
    await seen(gate.datasetVersionId, (g) => g.eligible);
    expect(await refusal(gate.datasetVersionId)).toBeNull();
  }, 60_000);
});
