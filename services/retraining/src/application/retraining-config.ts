/** How retraining runs and notifies, from the environment (see the README's retraining section). */
export interface RetrainingConfig {
  readonly runner: 'local-command' | 'webhook';
  /** Training command per model name; `defaultCommand` for the others (run with `sh -c`). */
  readonly commands: Readonly<Record<string, string>>;
  readonly defaultCommand: string | null;
  /** Extra parameters per model name, passed to the command (MGOV_RETRAINING_PARAMS) or the webhook. */
  readonly params: Readonly<Record<string, Readonly<Record<string, string>>>>;
  readonly timeoutMs: number;
  readonly maxAttempts: number;
  /** Pause before attempt n+1: this, doubled per failed attempt. */
  readonly retryBackoffMs: number;
  readonly logTailLines: number;
  readonly runnerWebhook: { readonly url: string; readonly secret: string } | null;
  readonly notifications: { readonly url: string | null; readonly secret: string; readonly attempts: number; readonly backoffMs: number; readonly timeoutMs: number };
  /** An open case unacknowledged this long is escalated. */
  readonly ackDeadlineMs: number;
  readonly pollMs: number;
}

const json = <T>(name: string, value: string | undefined, fallback: T): T => {
  if (!value) return fallback;
  try {
    return JSON.parse(value) as T;
  } catch {
    throw new Error(`${name} must be JSON`);
  }
};
const int = (value: string | undefined, fallback: number) => (value && Number.isFinite(Number(value)) ? Number(value) : fallback);

export function retrainingConfig(env: NodeJS.ProcessEnv = process.env): RetrainingConfig {
  const runner = env.MGOV_RETRAINING_RUNNER === 'webhook' ? 'webhook' : 'local-command';
  if (runner === 'webhook' && !env.MGOV_RETRAINING_WEBHOOK_URL) throw new Error('MGOV_RETRAINING_RUNNER=webhook needs MGOV_RETRAINING_WEBHOOK_URL');
  return {
    runner,
    commands: json('MGOV_RETRAINING_COMMANDS', env.MGOV_RETRAINING_COMMANDS, {}),
    defaultCommand: env.MGOV_RETRAINING_COMMAND || null,
    params: json('MGOV_RETRAINING_PARAMS', env.MGOV_RETRAINING_PARAMS, {}),
    timeoutMs: int(env.MGOV_RETRAINING_TIMEOUT_MS, 60 * 60_000),
    maxAttempts: Math.max(1, int(env.MGOV_RETRAINING_MAX_ATTEMPTS, 3)),
    retryBackoffMs: int(env.MGOV_RETRAINING_RETRY_BACKOFF_MS, 30_000),
    logTailLines: int(env.MGOV_RETRAINING_LOG_TAIL_LINES, 40),
    runnerWebhook: env.MGOV_RETRAINING_WEBHOOK_URL ? { url: env.MGOV_RETRAINING_WEBHOOK_URL, secret: env.MGOV_RETRAINING_WEBHOOK_SECRET ?? '' } : null,
    notifications: {
      url: env.MGOV_REVIEW_WEBHOOK_URL || null, secret: env.MGOV_REVIEW_WEBHOOK_SECRET ?? '',
      attempts: Math.max(1, int(env.MGOV_REVIEW_WEBHOOK_ATTEMPTS, 5)), backoffMs: int(env.MGOV_REVIEW_WEBHOOK_BACKOFF_MS, 500), timeoutMs: int(env.MGOV_REVIEW_WEBHOOK_TIMEOUT_MS, 5000),
    },
    ackDeadlineMs: int(env.MGOV_REVIEW_ACK_DEADLINE_MS, 4 * 60 * 60_000),
    pollMs: int(env.MGOV_RETRAINING_POLL_MS, 500),
  };
}
