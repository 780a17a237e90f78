import { spawn } from 'node:child_process';
import { LogTail } from './log-tail';
import { type AttemptOutcome, RETRAINING_ID_ENV, type RetrainingJob, type RetrainingRunner } from './runner';

export interface LocalCommandOptions {
  readonly commandFor: (modelName: string) => string | null;
  readonly timeoutMs: number;
  readonly logTailLines: number;
}

/**
 * Runs the training command configured for the model with `sh -c`, in its own process group, with
 * the dataset path, the parameters and the retraining id in its environment. A non-zero exit or a
 * timeout (the whole group is killed) fails the attempt with the last lines it wrote.
 */
export function localCommandRunner(options: LocalCommandOptions): RetrainingRunner {
  return {
    name: 'local-command',
    run(job: RetrainingJob): Promise<AttemptOutcome> {
      const command = options.commandFor(job.modelName);
      if (!command) {
        return Promise.resolve({ status: 'failed', reason: `no training command configured for model ${job.modelName} (set MGOV_RETRAINING_COMMAND or MGOV_RETRAINING_COMMANDS)`, logTail: '' });
      }
      const tail = new LogTail(options.logTailLines);
      return new Promise((resolve) => {
        const child = spawn('sh', ['-c', command], {
          detached: true,
          stdio: ['ignore', 'pipe', 'pipe'],
          env: {
            ...process.env, [RETRAINING_ID_ENV]: job.retrainingId, MGOV_RETRAINING_ATTEMPT: String(job.attempt), MGOV_MODEL_NAME: job.modelName,
            MGOV_MODEL_VERSION: String(job.modelVersion), MGOV_DATASET_VERSION_ID: job.datasetVersionId, MGOV_DATASET_PATH: job.datasetPath ?? '',
            MGOV_RETRAINING_PARAMS: JSON.stringify(job.params),
          },
        });
        child.stdout.on('data', (c: Buffer) => tail.push(c));
        child.stderr.on('data', (c: Buffer) => tail.push(c));
        let timedOut = false;
        const timer = setTimeout(() => {
          timedOut = true;
          try {
            process.kill(-child.pid!, 'SIGKILL');
          } catch {
            child.kill('SIGKILL');
          }
        }, options.timeoutMs);
        child.once('error', (error) => {
          clearTimeout(timer);
          resolve({ status: 'failed', reason: `could not start the training command: ${error.message}`, logTail: tail.toString() });
        });
        child.once('close', (code, signal) => {
          clearTimeout(timer);
          if (timedOut) resolve({ status: 'failed', reason: `timed out after ${options.timeoutMs} ms (killed)`, logTail: tail.toString() });
          else if (code === 0) resolve({ status: 'handed-over' });
          else resolve({ status: 'failed', reason: signal ? `killed by ${signal}` : `exit code ${code}`, logTail: tail.toString() });
        });
      });
    },
  };
}
