import { createHash, createHmac, randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { databaseUrl, lineageHost } from './lineage-host';

/** 60 customers: zip and sex make 6 classes of 10; `repaid` is "no" for every fifth, in either sex. */
const customers = (extra: (i: number) => string = () => '') => 'customer_id,email,zip,sex,income,repaid,note\n' + Array.from({ length: 60 }, (_, i) =>
  `C${i},c${i}@example.com,0213${i % 3},${i % 2 ? 'm' : 'f'},${40 + i},${i % 5 ? 'yes' : 'no'},${extra(i)}`).join('\n') + '\n';
const POLICY = { quasiIdentifiers: ['zip', 'sex'], pseudonymize: ['customer_id'], drop: ['email'], k: 5 };
const BIAS = { protectedAttributes: ['sex'], label: 'repaid', positive: 'yes' };

// Needs a real PostgreSQL: `node tools/infra/run-with-infra.js npx jest services/lineage`.
if (!(databaseUrl)) throw new Error('a real PostgreSQL (and Kafka) is needed: run the suite with tools/infra/run-with-infra.js, which sets MGOV_DATABASE_URL and MGOV_KAFKA_BROKERS');
describe('privacy gate and bias scan (lineage on PostgreSQL, over HTTP)', () => {
  const host = lineageHost();
  let source = '';
  const upload = async (name: string, csv: string) => {
    const response = await host.call('POST', `/lineage/datasets/${name}/versions?format=csv&source=${source}`, 'data-steward', csv, { 'content-type': 'text/csv' });
    expect(response.status).toBe(201);
    return response.body.datasetVersionId as string;
  };
  const gate = (id: string) => host.call('POST', `/lineage/dataset-versions/${id}/privacy-gate`, 'data-steward');
  const policies = async (name: string, privacy: object = POLICY, bias: object = BIAS) => {
    expect((await host.call('POST', `/lineage/datasets/${name}/privacy-policy`, 'data-steward', privacy)).status).toBe(200);
    expect((await host.call('POST', `/lineage/datasets/${name}/bias-policy`, 'data-steward', bias)).status).toBe(200);
  };

  beforeAll(async () => {
    source = (await host.call('POST', '/lineage/sources', 'data-steward', { name: 'crm', kind: 'anonymized-client', license: 'LicenseRef-dpa', owner: 'o' })).body.sourceId as string;
  });

  it('clears a clean dataset: a new treated version derived from the raw one, pseudonymized with a recorded key id', async () => {
    await policies('clean');
    const raw = await upload('clean', customers());
    const result = await gate(raw);
    expect(result).toMatchObject({ status: 200, body: { rawVersionId: raw, status: 'privacy-cleared', k: 10, findings: [] } });
    const derived = result.body.datasetVersionId as string;
    expect(derived).not.toBe(raw);

    const key = readFileSync(host.keyFile, 'utf8').trim();
    const keyId = createHash('sha256').update('mgov-pseudonymization-key-id\0').update(key).digest('hex').slice(0, 16);
    const [registered] = (await host.events('DatasetVersionRegistered')).filter((e) => e.data.datasetVersionId === derived);
    expect(registered!.data).toMatchObject({ datasetName: 'clean', parentVersionIds: [raw], sourceIds: [source], transformation: `privacy gate: clean privacy policy v1, pseudonymization key ${keyId}` });
    expect(await host.events('PseudonymizationKeyActivated')).toEqual([expect.objectContaining({ data: { keyId, previousKeyId: null, keySource: 'file' } })]);
    expect(JSON.stringify(await host.events('PrivacyCleared', 'PseudonymizationKeyActivated', 'DatasetVersionRegistered'))).not.toContain(key);

    // A data scientist may read the treated version: pseudonyms in place of ids, no e-mail column.
    const content = await host.call('GET', `/lineage/dataset-versions/${derived}/content`, 'data-scientist');
    expect(content.status).toBe(200);
    const [header, first] = content.text.split('\n');
    expect(header).toBe('customer_id,zip,sex,income,repaid,note');
    expect(first).toBe(`${createHmac('sha256', key).update('C0').digest('hex')},02130,f,40,no,`);
    expect(await host.call('GET', `/lineage/dataset-versions/${raw}/content`, 'data-scientist')).toMatchObject({ status: 403, body: { error: { code: 'LINEAGE.RAW_DATA_FORBIDDEN' } } });
    expect(await gate(derived)).toMatchObject({ status: 409, body: { error: { code: 'LINEAGE.ALREADY_GATED' } } });
  });

  it('rejects personal data left in the treated version, with findings that name column and detector and redact the sample', async () => {
    await policies('residue');
    const raw = await upload('residue', customers((i) => (i % 7 === 0 ? `call +1 415 555 ${String(2600 + i).padStart(4, '0')} or mail x${i}@corp.example` : 'ok')));
    const result = await gate(raw);
    expect(result.body).toMatchObject({ status: 'privacy-rejected', k: 10 });
    expect(result.body.findings).toEqual([
      { column: 'note', detector: 'email', count: 9, sample: 'x***@c***.example' },
      { column: 'note', detector: 'phone', count: 9, sample: expect.stringMatching(/^\+\*[ *]+\d\d$/) },
    ]);
    expect(JSON.stringify(result.body)).not.toContain('corp.example');
    const [rejected] = await host.events('PrivacyRejected');
    expect(rejected!.data).toMatchObject({ datasetVersionId: result.body.datasetVersionId, rawVersionId: raw, findings: result.body.findings });
  });

  it('rejects a treated version whose equivalence classes are smaller than the policy k', async () => {
    await policies('small-classes', { ...POLICY, k: 11 });
    const result = await gate(await upload('small-classes', customers((i) => `k${i}`)));
    expect(result.body).toMatchObject({
      status: 'privacy-rejected', k: 10,
      findings: [{ column: 'zip,sex', detector: 'k-anonymity', count: 60, sample: expect.stringMatching(/^k=10 < 11: zip=\d\d\*+, sex=\*(\*)? \(10 rows\)$/) }],
    });
  });

  it('rejects a version whose source declared a column personal data that the policy leaves as it is', async () => {
    const crm = (await host.call('POST', '/lineage/sources', 'data-steward', { name: 'crm2', kind: 'anonymized-client', license: 'LicenseRef-dpa', owner: 'o', personalDataColumns: ['income'] })).body.sourceId as string;
    await policies('declared');
    const csv = customers((i) => `d${i}`);
    const raw = await host.call('POST', `/lineage/datasets/declared/versions?format=csv&source=${crm}`, 'data-steward', csv, { 'content-type': 'text/csv' });
    const result = await gate(raw.body.datasetVersionId as string);
    expect(result.body).toMatchObject({ status: 'privacy-rejected', findings: [{ column: 'income', detector: 'declared-personal-data', count: 60 }] });
  });

  it('needs a privacy policy and refuses one that names a column the version lacks', async () => {
    const raw = await upload('no-policy', customers((i) => `n${i}`));
    expect(await gate(raw)).toMatchObject({ status: 409, body: { error: { code: 'LINEAGE.PRIVACY_POLICY_REQUIRED' } } });
    await host.call('POST', '/lineage/datasets/no-policy/privacy-policy', 'data-steward', { quasiIdentifiers: ['postcode'] });
    expect(await gate(raw)).toMatchObject({ status: 422, body: { error: { code: 'LINEAGE.UNKNOWN_COLUMN' } } });
  });

  it('records a key rotation when the key file changes, and pseudonymizes with the new key from then on', async () => {
    const [first] = await host.events('PseudonymizationKeyActivated');
    writeFileSync(host.keyFile, randomBytes(32).toString('hex'));
    await policies('rotated');
    const { datasetVersionId } = (await gate(await upload('rotated', customers((i) => `r${i}`)))).body;
    const activations = await host.events('PseudonymizationKeyActivated');
    expect(activations).toHaveLength(2);
    expect(activations[1]!.data).toMatchObject({ previousKeyId: first!.data.keyId });
    const [registered] = (await host.events('DatasetVersionRegistered')).filter((e) => e.data.datasetVersionId === datasetVersionId);
    expect(registered!.data.transformation).toContain(`pseudonymization key ${activations[1]!.data.keyId}`);
  });

  it('passes a balanced scan (eligible), flags an unbalanced one (not eligible) and takes a steward’s waiver', async () => {
    await policies('balanced');
    const balanced = (await gate(await upload('balanced', customers((i) => `b${i}`)))).body.datasetVersionId as string;
    expect(await host.call('POST', `/lineage/dataset-versions/${balanced}/bias-scan`, 'data-steward')).toMatchObject({ status: 200, body: { outcome: 'passed', eligible: true, breaches: [] } });
    const [passed] = await host.events('BiasScanPassed');
    expect(passed!.data).toMatchObject({ scannerName: 'mgov-bias', scannerVersion: expect.any(String), label: 'repaid', positive: 'yes', thresholds: { dpl: 0.1 } });

    await policies('skewed');
    const skewed = customers((i) => `s${i}`).replace(/,(m),(\d+),yes,/g, ',$1,$2,no,');
    const flaggedId = (await gate(await upload('skewed', skewed))).body.datasetVersionId as string;
    const flagged = await host.call('POST', `/lineage/dataset-versions/${flaggedId}/bias-scan`, 'data-steward');
    expect(flagged.body).toMatchObject({ outcome: 'flagged', eligible: false, breaches: [{ facet: 'sex', group: 'f', metric: 'dpl' }, { facet: 'sex', group: 'm', metric: 'dpl' }] });
    const version = await host.eventually('GET', `/lineage/dataset-versions/${flaggedId}`, 'governance-auditor', (r) => r.body.bias_status === 'flagged');
    expect(version.body).toMatchObject({ privacy_status: 'cleared', bias_status: 'flagged', eligible: false });

    expect(await host.call('POST', `/lineage/dataset-versions/${flaggedId}/bias-waiver`, 'data-scientist', { justification: 'x'.repeat(40) })).toMatchObject({ status: 403 });
    const justification = 'label reflects a historical policy; the model is post-processed to equalize approval rates';
    expect(await host.call('POST', `/lineage/dataset-versions/${flaggedId}/bias-waiver`, 'data-steward', { justification })).toMatchObject({ status: 200, body: { eligible: true, changed: true } });
    const waived = await host.eventually('GET', `/lineage/dataset-versions/${flaggedId}`, 'governance-auditor', (r) => r.body.eligible === true);
    expect(waived.body).toMatchObject({ bias_status: 'waived', eligible_gate: 'privacy-gate+bias-waiver', bias: { waiver: { justification, by: 'data' } } });
  });

  it('refuses to scan a version the privacy gate has not cleared', async () => {
    await policies('raw-scan');
    const raw = await upload('raw-scan', customers((i) => `q${i}`));
    expect(await host.call('POST', `/lineage/dataset-versions/${raw}/bias-scan`, 'data-steward')).toMatchObject({ status: 409, body: { error: { code: 'LINEAGE.NOT_PRIVACY_CLEARED' } } });
  });
});
