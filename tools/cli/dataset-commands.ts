import type { Command } from 'commander';
import { collectList } from './arguments';
import { cliOf, leaf } from './global-options';
import { readRows } from './rows-file';
import { recordTable } from './tables';

interface RegisterOptions {
  readonly name: string;
  readonly source: string[];
  readonly file: string;
  readonly parent?: string[];
  readonly transformation?: string;
}

const path = (id: string) => `/lineage/dataset-versions/${encodeURIComponent(id)}`;

export function addDatasetCommands(program: Command): void {
  const dataset = program.command('dataset').description('content-addressed dataset versions (lineage)');

  leaf(dataset, 'register', 'register a dataset version from a file of rows (POST /lineage/dataset-versions)')
    .requiredOption('--name <datasetName>', 'dataset name')
    .requiredOption('--source <id...>', 'source id(s) the rows come from', collectList)
    .requiredOption('--file <path>', 'rows as JSON Lines (one object per line) or a JSON array of objects')
    .option('--parent <id...>', 'dataset version id(s) this one was derived from', collectList)
    .option('--transformation <text>', 'how it was derived from its parents')
    .addHelpText('after', '\nA malformed file is a usage error (exit 2) naming the line; nothing is sent.')
    .action(async (options: RegisterOptions, command: Command) => {
      const cli = cliOf(command);
      const rows = readRows(options.file);
      const body = {
        datasetName: options.name, sourceIds: options.source, parentVersionIds: options.parent, transformation: options.transformation, rows,
      };
      const registered = await cli.api.post<{ datasetVersionId: string; created: boolean }>('/lineage/dataset-versions', body);
      cli.out.show(registered, (r) => recordTable({ ...r, rows: rows.length }));
    });

  leaf(dataset, 'get', 'show a dataset version (GET /lineage/dataset-versions/:id)')
    .argument('<id>', 'dataset version id (the sha256 of its rows)')
    .action(async (id: string, _options: object, command: Command) => {
      const cli = cliOf(command);
      cli.out.show(await cli.api.get<object>(path(id)), (r) => recordTable(r, ['dataset_version_id', 'dataset_name', 'source_ids', 'row_count', 'eligible', 'registered_at']));
    });

  leaf(dataset, 'clear', 'clear a dataset version for training (POST /lineage/dataset-versions/:id/clearance)')
    .argument('<id>', 'dataset version id')
    .action(async (id: string, _options: object, command: Command) => {
      const cli = cliOf(command);
      cli.out.show(await cli.api.post<object>(`${path(id)}/clearance`), (r) => recordTable(r));
    });
}
