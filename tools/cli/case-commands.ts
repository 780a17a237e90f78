import type { Command } from 'commander';
import { cliOf, leaf } from './global-options';
import { listTable, recordTable } from './tables';

interface ReviewCaseRow {
  readonly case_id: string;
  readonly model_name: string;
  readonly model_version: number;
  readonly detector: string;
  readonly severity: string;
  readonly status: string;
  readonly quarantine_status?: string;
  readonly alert_ids?: readonly string[];
  readonly opened_at?: string;
  readonly escalated_at?: string | null;
  readonly retraining_id?: string | null;
  readonly retraining_status: string | null;
  readonly retraining_dataset_version_id: string | null;
  readonly retraining_note?: string | null;
  readonly alerts?: ReadonlyArray<{ alertId: string; severity: string; summary: string; windowStart: number; windowEnd: number }>;
  readonly decisions?: ReadonlyArray<{ decision: string; by: string; justification: string; at: string }>;
}

const casePath = (caseId: string) => `/retraining/cases/${encodeURIComponent(caseId)}`;

function listCases(parent: Command, name: string, description: string): void {
  leaf(parent, name, description)
    .option('--model <name>', 'only this model\'s cases')
    .option('--status <status>', 'only cases in this status: open, acknowledged, confirmed, dismissed')
    .action(async (options: { model?: string; status?: string }, command: Command) => {
      const cli = cliOf(command);
      cli.out.show(await cli.api.get<ReviewCaseRow[]>('/retraining/cases', { model: options.model, status: options.status }), (rows) => listTable(rows, [
        { header: 'case', value: (r) => r.case_id },
        { header: 'model', value: (r) => `${r.model_name}:${r.model_version}` },
        { header: 'detector', value: (r) => r.detector },
        { header: 'severity', value: (r) => r.severity },
        { header: 'status', value: (r) => r.status },
        { header: 'quarantine', value: (r) => r.quarantine_status ?? null },
        { header: 'retraining', value: (r) => r.retraining_status },
        { header: 'retraining data', value: (r) => r.retraining_dataset_version_id },
      ]));
    });
}

function showCase(row: ReviewCaseRow): string {
  const { alerts = [], decisions = [], ...rest } = row;
  const summary = recordTable({
    case: rest.case_id, model: `${rest.model_name}:${rest.model_version}`, detector: rest.detector, severity: rest.severity, status: rest.status,
    quarantine: rest.quarantine_status, opened: rest.opened_at, escalated: rest.escalated_at, retraining: rest.retraining_id, 'retraining status': rest.retraining_status,
    'retraining note': rest.retraining_note,
  });
  const alertRows = listTable(alerts, [
    { header: 'alert', value: (a) => a.alertId }, { header: 'severity', value: (a) => a.severity }, { header: 'summary', value: (a) => a.summary },
    { header: 'window', value: (a) => `${new Date(a.windowStart).toISOString()} – ${new Date(a.windowEnd).toISOString()}` },
  ]);
  const decisionRows = listTable(decisions, [
    { header: 'decision', value: (d) => d.decision }, { header: 'by', value: (d) => d.by }, { header: 'justification', value: (d) => d.justification }, { header: 'at', value: (d) => d.at },
  ]);
  return `${summary}\n${alertRows}\n${decisionRows}`;
}

function decision(review: Command, name: string, route: string, description: string): void {
  leaf(review, `${name} <caseId>`, description)
    .requiredOption('--justification <text>', 'why (at least 10 characters; recorded with your identity in the audit trail)')
    .action(async (caseId: string, options: { justification: string }, command: Command) => {
      const cli = cliOf(command);
      cli.out.show(await cli.api.post<object>(`${casePath(caseId)}/${route}`, { justification: options.justification }), (r) => recordTable(r));
    });
}

export function addCaseCommands(program: Command): void {
  listCases(program, 'cases', 'review cases opened by alerts, with quarantine and retraining (GET /retraining/cases; same as `review list`)');

  const review = program.command('review').description('human-in-the-loop review cases: alerts, decisions, quarantine release (retraining service)');
  listCases(review, 'list', 'list review cases (GET /retraining/cases)');
  leaf(review, 'show <caseId>', 'one case: alerts with evidence and windows, decisions, quarantine, retraining (GET /retraining/cases/:id)')
    .action(async (caseId: string, _options: object, command: Command) => {
      const cli = cliOf(command);
      cli.out.show(await cli.api.get<ReviewCaseRow>(casePath(caseId)), showCase);
    });
  decision(review, 'ack', 'acknowledge', 'acknowledge a case: someone is on it (POST …/acknowledge)');
  decision(review, 'dismiss', 'dismiss', 'dismiss a case as a false positive; closes it (POST …/dismiss)');
  decision(review, 'confirm', 'confirm', 'confirm the case\'s alerts as a real problem (POST …/confirm)');
  decision(review, 'release', 'release', 'release the quarantine of the case\'s model version; model-reviewer role, never the model\'s submitter (POST …/release)');
}
