import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { demoDataset, issueApiKey, type KeyHolder, MgovClient } from '@mgov/demo-flow';
import type { RunningHost } from '@mgov/http-edge';
import { startEmbeddedPlatform } from '../src/embedded-platform';
import { bootstrapAdmin } from './access.fixture';
import { runMgov } from './process.fixture';



describe('the dataset and source CLI against the running platform (embedded runtime)', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'mgov-cli-datasets-'));
  const files = mkdtempSync(join(tmpdir(), 'mgov-cli-files-'));
  const admin = bootstrapAdmin();
  const suffix = randomBytes(3).toString('hex');
  const datasetName = `cli-loans-${suffix}`;
  let host: RunningHost;
  let steward: KeyHolder;
  let scientist: KeyHolder;
  let asSteward: (args: readonly string[]) => ReturnType<typeof runMgov>;
  const json = async (args: readonly string[]) => {
    const outcome = await asSteward(['--format', 'json', ...args]);
    expect({ args, code: outcome.code, stderr: outcome.stderr }).toEqual({ args, code: 0, stderr: expect.any(String) });
    return JSON.parse(outcome.stdout);
  };

  beforeAll(async () => {
    host = await startEmbeddedPlatform({ dataDir, port: 0, monitoringWindowSize: 50, bootstrapToken: admin.token });
    const client = new MgovClient(() => host.url);
    [steward, scientist] = await Promise.all([
      issueApiKey(client, admin, `cli.steward.${suffix}`, ['data-steward']), issueApiKey(client, admin, `cli.scientist.${suffix}`, ['data-scientist']),
    ]);
    asSteward = (args) => runMgov(args, { MGOV_URL: host.url, MGOV_TOKEN: steward.token });
  }, 120_000);

  afterAll(async () => {
    await host?.stop();
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(files, { recursive: true, force: true });
  });

  it('takes a CSV from source registration through upload, privacy gate and bias scan to an eligible version, then revokes the license', async () => {
    const sample = demoDataset(() => 50);
    const write = (name: string, content: string) => {
      const path = join(files, name);
      writeFileSync(path, content);
      return path;
    };

    const source = await json(['source', 'register', '--name', 'CRM export', '--kind', 'anonymized-client', '--license', 'LicenseRef-dpa', '--owner', 'data-office',
      '--personal-data-columns', 'customer_id,email']);
    expect(source.sourceId).toEqual(expect.any(String));
    await json(['dataset', 'privacy-policy', datasetName, '--file', write('privacy.json', JSON.stringify(sample.privacyPolicy))]);
    await json(['dataset', 'bias-policy', datasetName, '--file', write('bias.json', JSON.stringify(sample.biasPolicy))]);

    const csv = write('loans.csv', sample.csv);
    const raw = await json(['dataset', 'upload', '--name', datasetName, '--file', csv, '--source', source.sourceId]);
    expect(raw).toMatchObject({ created: true, datasetName, format: 'csv', rowCount: 400, datasetVersionId: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(await json(['dataset', 'upload', '--name', datasetName, '--file', csv, '--source', source.sourceId])).toMatchObject({ datasetVersionId: raw.datasetVersionId, created: false });

    const gate = await json(['dataset', 'privacy-gate', raw.datasetVersionId]);
    expect(gate).toMatchObject({ rawVersionId: raw.datasetVersionId, status: 'privacy-cleared' });
    const scan = await json(['dataset', 'bias-scan', gate.datasetVersionId]);
    expect(scan).toMatchObject({ eligible: true });
    const shown = await json(['dataset', 'show', gate.datasetVersionId]);
    expect(shown).toMatchObject({ dataset_version_id: gate.datasetVersionId, privacy_status: 'cleared', bias_status: 'passed', eligible: true });

    const table = await asSteward(['--format', 'table', 'dataset', 'show', gate.datasetVersionId]);
    expect(table.code).toBe(0);
    expect(table.stdout).toContain(gate.datasetVersionId);

    const graph = await asSteward(['dataset', 'lineage', 'dataset-version', gate.datasetVersionId, '--direction', 'upstream', '--as', 'mermaid']);
    expect(graph.code).toBe(0);
    expect(graph.stdout).toMatch(/^flowchart LR\n/);
    expect(graph.stdout).toContain('source-of');

    const revoked = await json(['source', 'revoke-license', source.sourceId, '--reason', 'the provider withdrew consent']);
    expect(revoked).toMatchObject({ revoked: true, changed: true });
    expect(revoked.revokedDatasetVersionIds).toEqual(expect.arrayContaining([raw.datasetVersionId, gate.datasetVersionId]));
    const impact = await json(['source', 'impact', source.sourceId]);
    expect(impact.source).toMatchObject({ licenseStatus: 'revoked' });
  });

  it('exits non-zero with the server\'s error code: a forbidden role, a malformed file, an unknown version', async () => {
    const csv = join(files, 'forbidden.csv');
    writeFileSync(csv, 'a,b\n1,2\n');
    const forbidden = await runMgov(['dataset', 'upload', '--name', datasetName, '--file', csv, '--source', 'anything'], { MGOV_URL: host.url, MGOV_TOKEN: scientist.token });
    expect(forbidden.code).not.toBe(0);
    expect(forbidden.stderr).toContain('AUTH.FORBIDDEN');

    const ragged = join(files, 'ragged.csv');
    writeFileSync(ragged, 'a,b\n1,2,3\n');
    const sources = await json(['source', 'list']);
    const malformed = await asSteward(['dataset', 'upload', '--name', datasetName, '--file', ragged, '--source', sources[0].source_id]);
    expect(malformed.code).not.toBe(0);
    expect(malformed.stderr).toMatch(/DATASET\.|LINEAGE\./);

    const unknown = await asSteward(['dataset', 'show', 'f'.repeat(64)]);
    expect(unknown.code).not.toBe(0);
    expect(unknown.stderr).toContain('LINEAGE.DATASET_VERSION_NOT_FOUND');
  });
});
