import type { Command } from 'commander';
import { cliOf, leaf } from './global-options';
import { listTable, recordTable } from './tables';

interface RetrainingRow {
  readonly retraining_id: string;
  readonly case_id: string;
  readonly model_name: string;
  readonly model_version: number;
  readonly status: string;
  readonly dataset_version_id: string | null;
  readonly approved_by: string | null;
  readonly attempts: number;
  readonly last_error: string | null;
}

const path = (id: string) => `/retraining/retrainings/${encodeURIComponent(id)}`;

function humanDecision(retrain: Command, name: string, description: string): void {
  leaf(retrain, `${name} <retrainingId>`, description)
    .requiredOption('--justification <text>', 'why (at least 10 characters; recorded with your identity)')
    .action(async (id: string, options: { justification: string }, command: Command) => {
      const cli = cliOf(command);
      cli.out.show(await cli.api.post<object>(`${path(id)}/${name}`, { justification: options.justification }), (r) => recordTable(r));
    });
}

export function addRetrainCommands(program: Command): void {
  const retrain = program.command('retrain').description('retrainings requested by breaches: approve, cancel, follow their runs (retraining service)');
  leaf(retrain, 'list', 'list retrainings (GET /retraining/retrainings)')
    .option('--model <name>', 'only this model\'s retrainings')
    .option('--status <status>', 'waiting_for_data, requested, running, retrying, succeeded, failed or cancelled')
    .action(async (options: { model?: string; status?: string }, command: Command) => {
      const cli = cliOf(command);
      cli.out.show(await cli.api.get<RetrainingRow[]>('/retraining/retrainings', { model: options.model, status: options.status }), (rows) => listTable(rows, [
        { header: 'retraining', value: (r) => r.retraining_id },
        { header: 'model', value: (r) => `${r.model_name}:${r.model_version}` },
        { header: 'status', value: (r) => r.status },
        { header: 'data', value: (r) => r.dataset_version_id },
        { header: 'approved by', value: (r) => r.approved_by },
        { header: 'attempts', value: (r) => r.attempts },
        { header: 'last error', value: (r) => r.last_error },
      ]));
    });
  leaf(retrain, 'show <retrainingId>', 'one retraining with its attempts, log tail, run and artifact (GET /retraining/retrainings/:id)')
    .action(async (id: string, _options: object, command: Command) => {
      const cli = cliOf(command);
      cli.out.show(await cli.api.get<object>(path(id)), (r) => recordTable(r));
    });
  humanDecision(retrain, 'approve', 'approve a retraining to run; you become the submitter of the candidate it produces (POST …/approve)');
  humanDecision(retrain, 'cancel', 'cancel a retraining; nothing it produces reaches the registry (POST …/cancel)');
}
