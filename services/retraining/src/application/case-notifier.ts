import { reviewCaseDecider, type ReviewCaseCommand } from '@mgov/retraining-domain';
import { caseStreamKey } from '@mgov/retraining-domain';
import type { ServiceRuntime } from '@mgov/service-runtime';
import { logger } from '@mgov/telemetry';
import { retrainingLinks } from './links';
import type { RetrainingConfig } from './retraining-config';
import { postSigned } from './signed-webhook';

const log = logger('case-notifier');
const SERVICE_ACTOR = { id: 'retraining', role: 'service' } as const;

/**
 * Sends pending case notifications (opened, breach, escalated) to the team's webhook, signed with
 * HMAC-SHA256, retried with exponential backoff, and records the outcome on the case — a failed
 * delivery is a fact on the case, never a lost case. Also escalates cases left unacknowledged.
 */
export class CaseNotifier {
  /** Notifications being sent, or sent and recorded but maybe not yet projected (id → when taken). */
  private readonly taken = new Map<string, number>();

  constructor(
    private readonly runtime: ServiceRuntime,
    private readonly tables: { cases: string; notifications: string },
    private readonly config: RetrainingConfig,
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
  ) {}

  async tick(): Promise<void> {
    await this.escalate();
    const { url } = this.config.notifications;
    if (!url) return;
    const pending = await this.runtime.db.query<{ notification_id: string; case_id: string; kind: string; payload: unknown }>(
      `SELECT notification_id, case_id, kind, payload FROM ${this.tables.notifications} WHERE status = 'pending' ORDER BY created_at LIMIT 50`,
    );
    const now = this.runtime.clock.now();
    for (const [id, at] of this.taken) if (now - at > 10 * 60_000) this.taken.delete(id);
    for (const row of pending) {
      if (this.taken.has(row.notification_id)) continue;
      this.taken.set(row.notification_id, now);
      void this.deliver(url, row).then((recorded) => {
        // A delivery whose outcome could not be recorded is sent again on a later tick.
        if (!recorded) this.taken.delete(row.notification_id);
      });
    }
  }

  private async deliver(url: string, row: { notification_id: string; case_id: string; kind: string; payload: unknown }): Promise<boolean> {
    const { secret, attempts, backoffMs, timeoutMs } = this.config.notifications;
    let last = { ok: false, statusCode: 0, error: '' };
    let attempt = 0;
    while (attempt < attempts) {
      attempt += 1;
      last = await postSigned(url, secret, row.notification_id, { kind: row.kind, caseId: row.case_id, event: row.payload }, timeoutMs, this.runtime.clock.now());
      if (last.ok) break;
      if (attempt < attempts) await this.sleep(backoffMs * 2 ** (attempt - 1));
    }
    const outcome = last.ok ? { delivered: true as const, statusCode: last.statusCode } : { delivered: false as const, lastError: last.error || `HTTP ${last.statusCode}` };
    return this.record(row.case_id, { type: 'RecordNotification', caseId: row.case_id, notificationId: row.notification_id, endpoint: url, attempts: attempt, outcome, metadata: this.metadata(row.case_id) });
  }

  private async escalate(): Promise<void> {
    const now = this.runtime.clock.now();
    const due = await this.runtime.db.query<{ case_id: string; opened_at: Date }>(
      `SELECT case_id, opened_at FROM ${this.tables.cases} WHERE status = 'open' AND escalated_at IS NULL AND opened_at < $1`,
      [new Date(now - this.config.ackDeadlineMs).toISOString()],
    );
    for (const row of due) {
      const openedAt = new Date(row.opened_at).getTime();
      await this.record(row.case_id, { type: 'Escalate', caseId: row.case_id, openedAt, deadline: openedAt + this.config.ackDeadlineMs, metadata: this.metadata(row.case_id) });
    }
  }

  private metadata(caseId: string) {
    return { actor: SERVICE_ACTOR, now: this.runtime.clock.now(), correlationId: caseId, causationId: null };
  }

  private async record(caseId: string, command: ReviewCaseCommand): Promise<boolean> {
    try {
      await this.runtime.commands.execute({ streamId: `review-case:${caseStreamKey(caseId)}`, decider: reviewCaseDecider, links: retrainingLinks, command });
      return true;
    } catch (error) {
      log.warn({ err: error, caseId, command: command.type }, 'could not record on the case; retried on the next tick');
      return false;
    }
  }
}
