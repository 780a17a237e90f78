import type { Command } from 'commander';
import { cliOf, leaf } from './global-options';
import { listTable } from './tables';

interface ReviewCaseRow {
  readonly case_id: string;
  readonly model_name: string;
  readonly model_version: number;
  readonly detector: string;
  readonly severity: string;
  readonly status: string;
  readonly retraining_status: string | null;
  readonly retraining_dataset_version_id: string | null;
}

export function addCaseCommands(program: Command): void {
  leaf(program, 'cases', 'review cases opened by drift alerts, with quarantine and retraining (GET /retraining/cases)')
    .option('--model <name>', 'only this model\'s cases')
    .action(async (options: { model?: string }, command: Command) => {
      const cli = cliOf(command);
      cli.out.show(await cli.api.get<ReviewCaseRow[]>('/retraining/cases', { model: options.model }), (rows) => listTable(rows, [
        { header: 'case', value: (r) => r.case_id },
        { header: 'model', value: (r) => `${r.model_name}:${r.model_version}` },
        { header: 'detector', value: (r) => r.detector },
        { header: 'severity', value: (r) => r.severity },
        { header: 'status', value: (r) => r.status },
        { header: 'retraining', value: (r) => r.retraining_status },
        { header: 'retraining data', value: (r) => r.retraining_dataset_version_id },
      ]));
    });
}
