import type { Command } from 'commander';
import { cliOf, leaf } from './global-options';
import { listTable } from './tables';

interface Experiment {
  readonly experiment_id: string;
  readonly name: string;
  readonly artifact_location: string;
  readonly creation_time: number;
}

export function addExperimentCommands(program: Command): void {
  const experiment = program.command('experiment').description('experiments: named groups of runs (experiment; MLflow-compatible)');

  leaf(experiment, 'list', 'list experiments (GET /experiment/experiments)')
    .action(async (_options: object, command: Command) => {
      const cli = cliOf(command);
      const { experiments } = await cli.api.get<{ experiments: Experiment[] }>('/experiment/experiments');
      cli.out.show(experiments, (rows) => listTable(rows, [
        { header: 'id', value: (e) => e.experiment_id },
        { header: 'name', value: (e) => e.name },
        { header: 'created', value: (e) => new Date(e.creation_time).toISOString() },
        { header: 'artifact location', value: (e) => e.artifact_location },
      ]));
    });
}
