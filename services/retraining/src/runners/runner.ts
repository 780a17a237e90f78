/** One attempt of a retraining, as a runner needs it. */
export interface RetrainingJob {
  readonly retrainingId: string;
  readonly attempt: number;
  readonly modelName: string;
  readonly modelVersion: number;
  readonly datasetVersionId: string;
  /** The dataset version's verified bytes on local disk (local runner), or null. */
  readonly datasetPath: string | null;
  readonly params: Readonly<Record<string, string>>;
}

/**
 * `handed-over`: the pipeline ran (or was accepted) and is expected to log its run through the
 * experiment API with the param `mgov.retraining_id`; the run's `RunCompleted` finishes the attempt.
 */
export type AttemptOutcome = { readonly status: 'handed-over' } | { readonly status: 'failed'; readonly reason: string; readonly logTail: string };

/** Where retraining pipelines run: a local command, or an external orchestrator behind a webhook. */
export interface RetrainingRunner {
  readonly name: string;
  run(job: RetrainingJob): Promise<AttemptOutcome>;
}

/** The run parameter (and environment variable) a training pipeline carries the retraining id in. */
export const RETRAINING_ID_PARAM = 'mgov.retraining_id';
export const RETRAINING_ID_ENV = 'MGOV_RETRAINING_ID';
