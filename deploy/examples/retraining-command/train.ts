/*
 * An example training command for MGov's local retraining runner. The runner starts it with
 *   MGOV_RETRAINING_ID, MGOV_RETRAINING_ATTEMPT, MGOV_MODEL_NAME, MGOV_MODEL_VERSION,
 *   MGOV_DATASET_VERSION_ID, MGOV_DATASET_PATH (the verified bytes), MGOV_RETRAINING_PARAMS (JSON)
 * and expects the run to be logged through the experiment API with the param
 * `mgov.retraining_id` = $MGOV_RETRAINING_ID: the run's completion is what finishes the retraining.
 * MGOV_URL and MGOV_TOKEN (an API key with the data-scientist or ml-engineer role) come from the
 * retraining service's environment. A real pipeline trains here; this one writes a tiny safetensors model.
 *
 *   MGOV_RETRAINING_COMMAND='node -r ./tools/register.js deploy/examples/retraining-command/train.ts'
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';

const env = (name: string) => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
};

async function call<T>(method: string, path: string, body?: Buffer | string | object, contentType = 'application/json'): Promise<T> {
  const payload = body === undefined || Buffer.isBuffer(body) || typeof body === 'string' ? body : JSON.stringify(body);
  const response = await fetch(`${env('MGOV_URL')}${path}`, { method, body: payload, headers: { authorization: `Bearer ${env('MGOV_TOKEN')}`, 'content-type': contentType } });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text}`);
  return (text ? JSON.parse(text) : undefined) as T;
}

function safetensors(weights: number[]): Buffer {
  const header = Buffer.from(JSON.stringify({ weight: { dtype: 'F32', shape: [weights.length], data_offsets: [0, weights.length * 4] } }));
  const length = Buffer.alloc(8);
  length.writeBigUInt64LE(BigInt(header.length));
  return Buffer.concat([length, header, Buffer.from(new Float32Array(weights).buffer)]);
}

async function main(): Promise<void> {
  const retrainingId = env('MGOV_RETRAINING_ID');
  const datasetVersionId = env('MGOV_DATASET_VERSION_ID');
  const rows = readFileSync(env('MGOV_DATASET_PATH'), 'utf8').split('\n').length - 1;
  console.log(`training ${env('MGOV_MODEL_NAME')} on ${datasetVersionId} (${rows} rows), attempt ${env('MGOV_RETRAINING_ATTEMPT')}`);

  const params = { ...(JSON.parse(process.env.MGOV_RETRAINING_PARAMS || '{}') as Record<string, string>), 'mgov.retraining_id': retrainingId };
  const { runId, experimentId } = await call<{ runId: string; experimentId: string }>('POST', '/experiment/runs', {
    experimentName: `${env('MGOV_MODEL_NAME')}-retraining`, datasetVersionIds: [datasetVersionId], params,
  });
  const model = safetensors([0.5, rows % 7]);
  const artifacts = `/api/2.0/mlflow-artifacts/artifacts/${experimentId}/${runId}/artifacts/model`;
  await call('PUT', `${artifacts}/model.safetensors`, model, 'application/octet-stream');
  await call('PUT', `${artifacts}/requirements.txt`, 'scikit-learn==1.5.2\nsafetensors==0.4.5\n', 'text/plain');
  const metrics = {
    accuracy: 0.92, f1: 0.89, 'fairness.region.disparate_impact': 0.93, 'fairness.region.demographic_parity_difference': 0.03,
    'fairness.region.equalized_odds_difference': 0.04,
  };
  await call('POST', `/experiment/runs/${runId}/complete`, { metrics, artifactDigest: `sha256:${createHash('sha256').update(model).digest('hex')}` });
  console.log(`run ${runId} logged and completed`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
