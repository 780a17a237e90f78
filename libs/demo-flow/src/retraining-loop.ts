import type { FlowResult } from './governance-flow';
import { issueApiKey, untilKnownEverywhere } from './credentials';
import { prepareEligibleDataset } from './eligible-dataset';
import type { Caller, MgovClient } from './http-client';
import { sampler } from './sampler';

export interface RetrainingLoopResult {
  readonly retrainingId: string;
  readonly freshVersionId: string;
  readonly retraining: { status: string; dataset_version_id: string; run_id: string | null };
  readonly candidate: Record<string, unknown>;
  /** Who approved the retraining: the retrained candidate's submitter. */
  readonly approver: string;
}

/**
 * After the governance flow's breach: the retraining waits for data, a steward prepares a fresh eligible
 * version of the training data, an engineer approves the retraining, the configured training command
 * logs its run, and the registry takes the model as a candidate for the mandatory review.
 */
export async function runRetrainingLoop(client: MgovClient, admin: Caller, flow: FlowResult): Promise<RetrainingLoopResult> {
  const [steward, engineer] = await Promise.all([issueApiKey(client, admin, 'loop.steward', ['data-steward']), issueApiKey(client, admin, 'loop.engineer', ['ml-engineer'])]);
  await untilKnownEverywhere(client, [steward, engineer]);
  const retrainingId = flow.reviewCase.retraining_id!;
  const path = `/retraining/retrainings/${encodeURIComponent(retrainingId)}`;

  const suffix = flow.modelName.replace('credit-risk-', '');
  // Another seed than the flow's, so the fresh data has other bytes.
  const fresh = await prepareEligibleDataset(client, steward, { sourceId: `crm-export-${suffix}`, datasetName: `loans-${suffix}`, normal: sampler(4242) });
  await client.call('retraining', 'POST', `${path}/approve`, engineer, { justification: 'fresh cleared data, retrain now' });

  const retraining = await client.eventually('the retraining to succeed', async () => {
    const row = await client.call<{ status: string; dataset_version_id: string; run_id: string | null; last_error: string | null; log_tail: string | null }>('retraining', 'GET', path, engineer);
    if (row.status === 'failed') throw new Error(`retraining failed: ${row.last_error}\n${row.log_tail}`);
    return row.status === 'succeeded' ? row : undefined;
  }, 120_000);
  const candidate = await client.eventually('the registry to take the retrained model as a candidate', () =>
    client.call<Record<string, unknown>>('registry', 'GET', `/registry/models/${flow.modelName}/candidates/${encodeURIComponent(`retraining-${retrainingId}`)}`, engineer)
      .catch(() => undefined), 60_000);
  return { retrainingId, freshVersionId: fresh.datasetVersionId, retraining, candidate, approver: engineer.name };
}
