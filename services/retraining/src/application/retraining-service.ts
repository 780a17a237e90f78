import type { CommandMetadata } from '@mgov/decider';
import { DomainError } from '@mgov/decider';
import { Topics } from '@mgov/messaging';
import type { ObjectStore } from '@mgov/object-store';
import {
  parseCaseId, quarantineDecider, quarantineStreamId, retrainingDecider, retrainingStreamId, reviewCaseDecider,
} from '@mgov/retraining-domain';
import type { ServiceModule, ServiceRuntime } from '@mgov/service-runtime';
import { localCommandRunner } from '../runners/local-command-runner';
import type { RetrainingRunner } from '../runners/runner';
import { webhookRunner } from '../runners/webhook-runner';
import { alertIntake } from './alert-intake';
import { CaseNotifier } from './case-notifier';
import { type ReviewCaseRow, reviewCasesReadModel } from './cases-read-model';
import { retrainingLinks } from './links';
import type { RetrainingConfig } from './retraining-config';
import { RetrainingWorker } from './retraining-worker';
import { type RetrainingRow, retrainingsReadModel } from './retrainings-read-model';
import { runResults } from './run-results';
import { trainingData } from './training-data';

export type CaseDecision = 'acknowledge' | 'dismiss' | 'confirm';
const COMMAND_OF = { acknowledge: 'Acknowledge', dismiss: 'Dismiss', confirm: 'Confirm' } as const;

const CASE_STATUSES = ['open', 'acknowledged', 'confirmed', 'dismissed'];
const RETRAINING_STATUSES = ['waiting_for_data', 'requested', 'running', 'retrying', 'succeeded', 'failed', 'cancelled'];

function checkStatus(status: string | undefined, allowed: readonly string[]): void {
  if (status !== undefined && !allowed.includes(status)) {
    throw new DomainError('RETRAINING.INVALID_FILTER', `status must be one of ${allowed.join(', ')}, not ${JSON.stringify(status)}`, 400);
  }
}

export interface CaseFilter {
  readonly model?: string;
  readonly status?: string;
}

/** Human-in-the-loop review cases, quarantine on breach, and the retraining saga. */
export class RetrainingService {
  readonly module: ServiceModule;
  private readonly cases;
  private readonly retrainings;
  private readonly data;
  private readonly worker: RetrainingWorker;
  private readonly notifier: CaseNotifier;
  private timer: NodeJS.Timeout | undefined;
  private ticking: Promise<void> | null = null;

  constructor(
    private readonly runtime: ServiceRuntime,
    config: RetrainingConfig,
    objects: ObjectStore | null,
    runner?: RetrainingRunner,
  ) {
    this.data = trainingData(runtime.schema);
    this.cases = reviewCasesReadModel(runtime.schema);
    this.retrainings = retrainingsReadModel(runtime.schema);
    const chosen = runner ?? (config.runner === 'webhook' && config.runnerWebhook
      ? webhookRunner(config.runnerWebhook.url, config.runnerWebhook.secret)
      : localCommandRunner({ commandFor: (model) => config.commands[model] ?? config.defaultCommand, timeoutMs: config.timeoutMs, logTailLines: config.logTailLines }));
    this.worker = new RetrainingWorker(runtime, this.retrainings.table, this.data, chosen, config, objects);
    this.notifier = new CaseNotifier(runtime, { cases: this.cases.table, notifications: this.cases.notifications }, config);
    this.module = {
      readModels: [this.cases, this.retrainings],
      reactors: [this.data.reactor, alertIntake(runtime, this.data), runResults(runtime, config)],
      // The public contract downstream systems subscribe to.
      publications: [{
        name: 'quarantine', topic: Topics.quarantine, eventTypes: ['ModelQuarantined', 'ModelQuarantineReleased'], key: (e) => (e.data as { modelName: string }).modelName,
      }],
      onStarted: async () => {
        this.timer = setInterval(() => void this.tick(), config.pollMs);
      },
      onStopped: async () => {
        clearInterval(this.timer);
        await this.ticking;
      },
    };
  }

  /** One pass of the background work: retraining steps, notifications, escalations. */
  tick(): Promise<void> {
    this.ticking ??= (async () => {
      try {
        await this.worker.tick();
        await this.notifier.tick();
      } catch {
        // The next tick retries; a step that cannot proceed has recorded nothing.
      } finally {
        this.ticking = null;
      }
    })();
    return this.ticking;
  }

  /**
   * Cases with their links; an alert that overtook the registry's ModelVersionRegistered (another
   * topic) recorded no training data, so the model version's is filled in when known by now.
   */
  private casesWhere(condition: string, params: unknown[]): Promise<ReviewCaseRow[]> {
    return this.runtime.db.query<ReviewCaseRow>(
      `SELECT c.*, CASE WHEN jsonb_array_length(c.dataset_version_ids) = 0 THEN COALESCE(v.dataset_version_ids, '[]'::jsonb) ELSE c.dataset_version_ids END AS dataset_version_ids
         FROM ${this.cases.table} c LEFT JOIN ${this.data.tables.versions} v ON v.model_name = c.model_name AND v.version = c.model_version
        WHERE ${condition} ORDER BY c.opened_at, c.case_id`,
      params,
    );
  }

  listCases(filter: CaseFilter = {}): Promise<ReviewCaseRow[]> {
    checkStatus(filter.status, CASE_STATUSES);
    return this.casesWhere('($1::text IS NULL OR c.model_name = $1) AND ($2::text IS NULL OR c.status = $2)', [filter.model ?? null, filter.status ?? null]);
  }

  async getCase(caseId: string): Promise<ReviewCaseRow> {
    const [row] = await this.casesWhere('c.case_id = $1', [caseId]);
    if (!row) throw new DomainError('RETRAINING.CASE_NOT_FOUND', `no review case ${caseId}; list them with GET /retraining/cases`, 404);
    return row;
  }

  async decide(caseId: string, decision: CaseDecision, justification: unknown, metadata: CommandMetadata) {
    const parsed = parseCaseId(caseId);
    if (!parsed) throw new DomainError('RETRAINING.CASE_NOT_FOUND', `no review case ${caseId}; list them with GET /retraining/cases`, 404);
    const events = await this.runtime.commands.execute({
      streamId: `review-case:${parsed.modelName}:${parsed.modelVersion}:${parsed.detector}`, decider: reviewCaseDecider, links: retrainingLinks,
      command: { type: COMMAND_OF[decision], caseId, justification, metadata },
    });
    return { caseId, events: events.map((e) => e.type) };
  }

  /** Lifts the quarantine of the case's model version: a reviewer's decision, never the model's submitter's. */
  async release(caseId: string, justification: unknown, metadata: CommandMetadata) {
    const parsed = parseCaseId(caseId);
    const caseStream = parsed && (await this.runtime.store.readStream(`review-case:${parsed.modelName}:${parsed.modelVersion}:${parsed.detector}`));
    const known = caseStream?.some((s) => s.type === 'ReviewCaseOpened' && (this.runtime.codec.decodeEvent(s.data).data as { caseId: string }).caseId === caseId);
    if (!parsed || !known) throw new DomainError('RETRAINING.CASE_NOT_FOUND', `no review case ${caseId}; list them with GET /retraining/cases`, 404);
    const model = await this.data.modelVersion(this.runtime.db, parsed.modelName, parsed.modelVersion);
    const events = await this.runtime.commands.execute({
      streamId: quarantineStreamId(parsed.modelName, parsed.modelVersion), decider: quarantineDecider, links: retrainingLinks,
      command: { type: 'Release', caseId, justification, submittedBy: model?.submittedBy ?? null, metadata },
    });
    return { caseId, modelName: parsed.modelName, modelVersion: parsed.modelVersion, events: events.map((e) => e.type) };
  }

  listRetrainings(filter: { model?: string; status?: string } = {}): Promise<RetrainingRow[]> {
    checkStatus(filter.status, RETRAINING_STATUSES);
    return this.runtime.db.query<RetrainingRow>(
      `SELECT * FROM ${this.retrainings.table} WHERE ($1::text IS NULL OR model_name = $1) AND ($2::text IS NULL OR status = $2) ORDER BY requested_at, retraining_id`,
      [filter.model ?? null, filter.status ?? null],
    );
  }

  async getRetraining(retrainingId: string): Promise<RetrainingRow> {
    const [row] = await this.runtime.db.query<RetrainingRow>(`SELECT * FROM ${this.retrainings.table} WHERE retraining_id = $1`, [retrainingId]);
    if (!row) throw new DomainError('RETRAINING.NOT_FOUND', `no retraining ${retrainingId}; list them with GET /retraining/retrainings`, 404);
    return row;
  }

  async approveOrCancel(retrainingId: string, type: 'Approve' | 'Cancel', justification: unknown, metadata: CommandMetadata) {
    const events = await this.runtime.commands.execute({
      streamId: retrainingStreamId(retrainingId), decider: retrainingDecider, links: retrainingLinks, command: { type, justification, metadata },
    });
    return { retrainingId, events: events.map((e) => e.type) };
  }
}
