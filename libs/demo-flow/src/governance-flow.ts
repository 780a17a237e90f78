import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { Prediction } from '@mgov/contracts';
import { issueFlowCallers } from './credentials';
import { prepareEligibleDataset } from './eligible-dataset';
import { ApiError, MgovClient } from './http-client';
import { sampler } from './sampler';

export interface FlowOptions {
  readonly urlOf: (service: string) => string;
  /** An admin's API key (the bootstrap admin's): the flow issues everyone else's keys with it. */
  readonly adminToken: string;
  /** How predictions reach mgov.predictions: HTTP by default; Kafka in the distributed test. */
  readonly publishPredictions?: (predictions: Prediction[]) => Promise<void>;
  readonly traceparent?: string;
  readonly windowSize?: number;
  readonly onStep?: (step: string, detail: unknown) => void;
}

export interface FlowResult {
  readonly modelName: string;
  readonly modelVersion: number;
  readonly digest: string;
  /** The version trained on: the privacy gate's treated version of `rawVersionId`. */
  readonly datasetVersionId: string;
  readonly rawVersionId: string;
  readonly runId: string;
  readonly reviewCase: { case_id: string; status: string; quarantine_status: string; retraining_id: string | null; retraining_status: string | null };
  readonly chain: { events: Array<{ type: string; position: string; links: string[]; traceId?: string | null }>; verification: { ok: boolean } };
}

/** A small safetensors model (one float32 tensor), distinct per flow. */
function safetensorsModel(seed: number): Buffer {
  const header = Buffer.from(JSON.stringify({ weight: { dtype: 'F32', shape: [2], data_offsets: [0, 8] }, __metadata__: { seed: String(seed) } }));
  const length = Buffer.alloc(8);
  length.writeBigUInt64LE(BigInt(header.length));
  return Buffer.concat([length, header, Buffer.from(new Float32Array([0.5, seed % 7]).buffer)]);
}

/**
 * The walking skeleton: source → policies → CSV upload → privacy gate → bias scan → eligibility → run → candidate → approval →
 * predictions → drift breach → quarantine, review case and retraining → audit chain.
 */
export async function runGovernanceFlow(options: FlowOptions): Promise<FlowResult> {
  const client = new MgovClient(options.urlOf, options.traceparent);
  const step = options.onStep ?? (() => undefined);
  const suffix = randomBytes(3).toString('hex');
  const modelName = `credit-risk-${suffix}`;
  const normal = sampler(Number.parseInt(suffix, 16));

  const { steward, scientist, reviewer, auditor, inference } = await issueFlowCallers(client, { name: 'admin', token: options.adminToken });
  step('API keys issued (and known to every service)', Object.fromEntries([steward, scientist, reviewer, auditor, inference].map((k) => [k.name, k.roles])));

  const { sourceId } = await client.call<{ sourceId: string }>('lineage', 'POST', '/lineage/sources', steward, {
    sourceId: `crm-export-${suffix}`, name: 'CRM export (pseudonymized)', kind: 'anonymized-client',
    license: 'LicenseRef-client-dpa-2025', owner: 'data-office', personalDataColumns: ['customer_id'],
  });
  step('source registered', { sourceId });

  const { rawVersionId, datasetVersionId } = await prepareEligibleDataset(client, steward, { sourceId, datasetName: `loans-${suffix}`, normal }, step);

  await client.eventually('experiment to see the dataset as eligible', async () =>
    (await client.call<{ eligible: boolean }>('experiment', 'GET', `/experiment/datasets/${datasetVersionId}/eligibility`, scientist)).eligible);
  step('dataset version eligible for training (as experiment sees it)', { datasetVersionId });

  const { runId, experimentId } = await client.call<{ runId: string; experimentId: string }>('experiment', 'POST', '/experiment/runs', scientist, {
    experimentName: `credit-risk-${suffix}`, datasetVersionIds: [datasetVersionId], params: { max_depth: '6', learning_rate: '0.1' },
  });
  // The registry's security gate scans these bytes (a safetensors model) and wants a dependency manifest beside them.
  const model = safetensorsModel(Number.parseInt(suffix, 16));
  const artifacts = `/api/2.0/mlflow-artifacts/artifacts/${experimentId}/${runId}/artifacts/model`;
  // The artifact proxy finds the run through a read model, a moment behind the write in the distributed runtime.
  await client.eventually('experiment to take the run\'s artifacts', async () => {
    try {
      return await client.put('experiment', `${artifacts}/model.safetensors`, scientist, model, 'application/octet-stream') ?? true;
    } catch (error) {
      if (error instanceof ApiError && error.code === 'EXPERIMENT.RUN_NOT_FOUND') return undefined;
      throw error;
    }
  });
  await client.put('experiment', `${artifacts}/requirements.txt`, scientist, 'scikit-learn==1.5.2\nsafetensors==0.4.5\n', 'text/plain');
  const digest = `sha256:${createHash('sha256').update(model).digest('hex')}`;
  const metrics = {
    accuracy: 0.91, f1: 0.88, 'fairness.region.disparate_impact': 0.92, 'fairness.region.demographic_parity_difference': 0.03,
    'fairness.region.equalized_odds_difference': 0.04,
  };
  await client.call('experiment', 'POST', `/experiment/runs/${runId}/complete`, scientist, { metrics, artifactDigest: digest });
  step('run logged', { runId });

  const candidateId = randomUUID();
  await client.eventually('registry to accept the candidate', async () => {
    try {
      return await client.call('registry', 'POST', `/registry/models/${modelName}/candidates`, scientist, { candidateId, runId, artifactDigest: digest });
    } catch (error) {
      if (error instanceof ApiError && error.code === 'REGISTRY.RUN_NOT_FINISHED') return undefined;
      throw error;
    }
  });
  step('candidate passed the security, performance and bias gates', { candidateId });
  const approved = await client.call<{ version: number; tag: string; digest: string }>(
    'registry', 'POST', `/registry/models/${modelName}/candidates/${candidateId}/approve`, reviewer, { justification: 'metrics and data reviewed' },
  );
  step('model version approved and registered', approved);

  await client.eventually('monitoring to know the model version', () =>
    client.call('monitoring', 'GET', `/monitoring/models/${modelName}/versions/${approved.version}`, auditor));
  const windowSize = options.windowSize ?? 50;
  const predictions: Prediction[] = Array.from({ length: windowSize * 2 }, (_, i) => ({
    predictionId: `${suffix}-p${i}`, modelName, modelVersion: approved.version, modelDigest: approved.digest, eventTime: Date.now(),
    numericFeatures: { income: normal(95, 10), age: normal(40, 8) }, categoricalFeatures: { region: ['north', 'south', 'east'][i % 3] },
    predictedClass: i % 4 === 0 ? 'default' : 'repaid', score: 0.5, protectedAttributes: { region: ['north', 'south', 'east'][i % 3] }, groundTruth: null,
  }));
  if (options.publishPredictions) await options.publishPredictions(predictions);
  else await client.call('monitoring', 'POST', '/monitoring/predictions', inference, { predictions });
  step('prediction events published', { count: predictions.length });

  const reviewCase = await client.eventually('a quarantined review case with a retraining request', async () => {
    const cases = await client.call<FlowResult['reviewCase'][]>('retraining', 'GET', `/retraining/cases?model=${modelName}`, reviewer);
    return cases.find((c) => c.quarantine_status === 'quarantined' && c.retraining_id);
  });
  step('drift breach → model quarantined, review case open, retraining requested', reviewCase);

  const chain = await client.eventually('the audit chain to reach the retraining request', async () => {
    const result = await client.call<FlowResult['chain']>('audit', 'GET', `/audit/model-versions/${modelName}/${approved.version}/chain`, auditor);
    return result.events.some((e) => e.type === 'RetrainingRequested') ? result : undefined;
  });
  step('audit chain', { events: chain.events.map((e) => e.type), verification: chain.verification });

  return { modelName, modelVersion: approved.version, digest: approved.digest, datasetVersionId, rawVersionId, runId, reviewCase, chain };
}
