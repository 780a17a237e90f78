import type { CommandMetadata } from '@mgov/decider';
import type { ObjectStore } from '@mgov/object-store';
import { type RetrainingCommand, retrainingDecider, retrainingStreamId } from '@mgov/retraining-domain';
import type { ServiceRuntime } from '@mgov/service-runtime';
import { logger } from '@mgov/telemetry';
import type { RetrainingRunner } from '../runners/runner';
import { retrainingLinks } from './links';
import type { RetrainingConfig } from './retraining-config';
import type { RetrainingRow } from './retrainings-read-model';
import type { TrainingData } from './training-data';

const log = logger('retraining-worker');
const SERVICE_ACTOR = { id: 'retraining', role: 'service' } as const;

/**
 * Drives each retraining forward from the log's state: picks fresh data for those waiting, starts
 * approved ones (the `RetrainingStarted` append is the claim: a second starter conflicts), and fails
 * attempts that were cut off by a restart or never reported a run. Safe to run again at any point.
 */
export class RetrainingWorker {
  private readonly launchedHere = new Set<string>();

  constructor(
    private readonly runtime: ServiceRuntime,
    private readonly table: string,
    private readonly trainingData: TrainingData,
    private readonly runner: RetrainingRunner,
    private readonly config: RetrainingConfig,
    private readonly objects: ObjectStore | null,
  ) {}

  async tick(): Promise<void> {
    const rows = await this.runtime.db.query<RetrainingRow>(
      `SELECT * FROM ${this.table} WHERE status IN ('waiting_for_data', 'requested', 'retrying', 'running') ORDER BY requested_at`,
    );
    for (const row of rows) {
      if (row.status === 'waiting_for_data') await this.selectData(row);
      else if ((row.status === 'requested' || (row.status === 'retrying' && this.backedOff(row))) && row.approved_by && row.dataset_version_id) await this.start(row);
      else if (row.status === 'running') await this.sweep(row);
    }
  }

  private backedOff(row: RetrainingRow): boolean {
    const failedAt = new Date(row.updated_at).getTime();
    return this.runtime.clock.now() >= failedAt + this.config.retryBackoffMs * 2 ** Math.max(0, row.attempts - 1);
  }

  private async selectData(row: RetrainingRow): Promise<void> {
    const fresh = await this.trainingData.newestEligibleFor(this.runtime.db, row.model_name, row.model_version);
    if (fresh) await this.execute(row.retraining_id, { type: 'SelectData', datasetVersionId: fresh, metadata: this.metadata(row) });
  }

  private async start(row: RetrainingRow): Promise<void> {
    const attempt = row.attempts + 1;
    const key = `${row.retraining_id}#${attempt}`;
    if (this.launchedHere.has(key)) return;
    this.launchedHere.add(key);
    const started = await this.execute(row.retraining_id, { type: 'Start', attempt, runner: this.runner.name, metadata: this.metadata(row) });
    if (!started) return;
    void this.runAttempt(row, attempt);
  }

  private async runAttempt(row: RetrainingRow, attempt: number): Promise<void> {
    const datasetVersionId = row.dataset_version_id!;
    const datasetPath = this.objects ? await this.objects.verifiedPath(datasetVersionId).catch(() => null) : null;
    const outcome = await this.runner.run({
      retrainingId: row.retraining_id, attempt, modelName: row.model_name, modelVersion: row.model_version, datasetVersionId, datasetPath,
      params: this.config.params[row.model_name] ?? {},
    }).catch((error: Error) => ({ status: 'failed' as const, reason: `runner error: ${error.message}`, logTail: '' }));
    if (outcome.status === 'failed') await this.failAttempt(row, attempt, outcome.reason, outcome.logTail);
  }

  /** A running attempt this process did not launch was cut off by a restart; one that never reported its run timed out. */
  private async sweep(row: RetrainingRow): Promise<void> {
    const key = `${row.retraining_id}#${row.attempts}`;
    if (row.runner === 'local-command' && !this.launchedHere.has(key)) {
      this.launchedHere.add(key);
      await this.failAttempt(row, row.attempts, 'interrupted: the retraining service stopped during this attempt', '');
      return;
    }
    const startedAt = row.started_at ? new Date(row.started_at).getTime() : Date.now();
    if (this.runtime.clock.now() - startedAt > this.config.timeoutMs * 1.1 + 5_000) {
      await this.failAttempt(row, row.attempts, `no run with param mgov.retraining_id=${row.retraining_id} completed within ${this.config.timeoutMs} ms`, '');
    }
  }

  private failAttempt(row: RetrainingRow, attempt: number, reason: string, logTail: string) {
    return this.execute(row.retraining_id, { type: 'FailAttempt', attempt, reason, logTail, maxAttempts: this.config.maxAttempts, metadata: this.metadata(row) });
  }

  private metadata(row: RetrainingRow): CommandMetadata {
    return { actor: SERVICE_ACTOR, now: this.runtime.clock.now(), correlationId: row.case_id, causationId: null };
  }

  /** True when the command appended something; a refusal or a lost race means another step already happened. */
  private async execute(retrainingId: string, command: RetrainingCommand): Promise<boolean> {
    try {
      const events = await this.runtime.commands.execute({ streamId: retrainingStreamId(retrainingId), decider: retrainingDecider, links: retrainingLinks, command });
      return events.length > 0;
    } catch (error) {
      const code = (error as { code?: string }).code;
      if (code !== 'RETRAINING.NOT_READY' && code !== 'EVENT_STORE.CONCURRENCY_CONFLICT') log.warn({ err: error, retrainingId, command: command.type }, 'retraining step failed');
      return false;
    }
  }
}
