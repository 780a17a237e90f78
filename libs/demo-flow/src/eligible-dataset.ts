import { demoDataset } from './demo-dataset';
import type { Caller, MgovClient } from './http-client';

export interface EligibleDataset {
  readonly rawVersionId: string;
  /** The privacy gate's treated version, bias-scanned: what a run may train on. */
  readonly datasetVersionId: string;
}

/**
 * Policy 2 as a data steward lives it: set the dataset's privacy and bias policies, upload the raw CSV,
 * run the privacy gate (which derives a treated version) and the bias scan on what it derived.
 */
export async function prepareEligibleDataset(
  client: MgovClient, steward: Caller, input: { sourceId: string; datasetName: string; normal: (mean: number, sd: number) => number },
  step: (what: string, detail: unknown) => void = () => undefined,
): Promise<EligibleDataset> {
  const { sourceId, datasetName } = input;
  const dataset = demoDataset(input.normal);
  await client.call('lineage', 'POST', `/lineage/datasets/${datasetName}/privacy-policy`, steward, dataset.privacyPolicy);
  await client.call('lineage', 'POST', `/lineage/datasets/${datasetName}/bias-policy`, steward, dataset.biasPolicy);
  step('privacy and bias policies set', { datasetName, privacy: dataset.privacyPolicy, bias: dataset.biasPolicy });

  const raw = await client.upload<{ datasetVersionId: string; rowCount: number }>(
    'lineage', `/lineage/datasets/${datasetName}/versions?format=csv&source=${encodeURIComponent(sourceId)}`, steward, dataset.csv, 'text/csv',
  );
  step('raw CSV uploaded as a content-addressed dataset version', raw);

  const gate = await client.call<{ datasetVersionId: string; status: string }>('lineage', 'POST', `/lineage/dataset-versions/${raw.datasetVersionId}/privacy-gate`, steward, {});
  if (gate.status !== 'privacy-cleared') throw new Error(`the privacy gate did not clear the demo data: ${JSON.stringify(gate)}`);
  step('privacy gate: treated version derived, scanned and cleared', gate);

  const scan = await client.call<{ eligible: boolean }>('lineage', 'POST', `/lineage/dataset-versions/${gate.datasetVersionId}/bias-scan`, steward, {});
  if (!scan.eligible) throw new Error(`the bias scan flagged the demo data: ${JSON.stringify(scan)}`);
  step('bias scan passed: the treated version is eligible for training', scan);
  return { rawVersionId: raw.datasetVersionId, datasetVersionId: gate.datasetVersionId };
}
