import { postSigned } from '../application/signed-webhook';
import { type AttemptOutcome, RETRAINING_ID_PARAM, type RetrainingJob, type RetrainingRunner } from './runner';

/**
 * Hands the attempt to an external orchestrator (a Kubeflow, Argo or Airflow trigger) with one signed
 * POST; it must log its run through the experiment API with the param `mgov.retraining_id`.
 */
export function webhookRunner(url: string, secret: string, timeoutMs = 10_000): RetrainingRunner {
  return {
    name: 'webhook',
    async run(job: RetrainingJob): Promise<AttemptOutcome> {
      const payload = { ...job, datasetPath: undefined, runParams: { [RETRAINING_ID_PARAM]: job.retrainingId } };
      const result = await postSigned(url, secret, `${job.retrainingId}#${job.attempt}`, payload, timeoutMs);
      return result.ok ? { status: 'handed-over' } : { status: 'failed', reason: `the orchestrator refused the job: ${result.error}`, logTail: '' };
    },
  };
}
