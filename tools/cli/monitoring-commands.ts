import { type Command, InvalidArgumentError } from 'commander';
import { positiveInteger } from './arguments';
import { ApiError } from './failures';
import { cliOf, leaf } from './global-options';
import { progressOf } from './progress';
import { readRows } from './rows-file';
import { listTable, recordTable } from './tables';

const MAX_BATCH = 10_000; // the server's limit per call

interface DriftAlertRow {
  readonly alert_id: string;
  readonly severity: string;
  readonly feature: string;
  readonly metric: string;
  readonly value: number;
  readonly threshold: number;
  readonly window_index: string;
}

export function addMonitoringCommands(program: Command): void {
  const monitoring = program.command('monitoring').description('prediction events and drift alerts (monitoring)');

  leaf(monitoring, 'publish', 'publish prediction events in batches (POST /monitoring/predictions)')
    .requiredOption('--file <path>', 'predictions as JSON Lines (one mgov.inference.Prediction per line) or a JSON array')
    .option('--batch-size <n>', `predictions per request (at most ${MAX_BATCH})`, batchSize, 1000)
    .action(async (options: { file: string; batchSize: number }, command: Command) => {
      const cli = cliOf(command);
      const predictions = readRows(options.file);
      const progress = progressOf(predictions.length, 'predictions');
      let accepted = 0;
      let batches = 0;
      try {
        for (let start = 0; start < predictions.length; start += options.batchSize) {
          const batch = predictions.slice(start, start + options.batchSize);
          const answer = await cli.api.post<{ accepted: number }>('/monitoring/predictions', { predictions: batch }).catch((error: unknown) => {
            if (!(error instanceof ApiError)) throw error;
            // The server counts within the batch; say where in the file, and what already went through.
            throw new ApiError(error.status, error.code, `${error.message} (batch ${batches + 1}: predictions ${start + 1}–${start + batch.length} of ${options.file}; ${accepted} accepted before it)`);
          });
          accepted += answer.accepted;
          batches += 1;
          progress.advance(batch.length);
        }
      } finally {
        progress.stop();
      }
      cli.out.show({ accepted, batches }, (r) => recordTable(r));
    });

  leaf(monitoring, 'alerts', 'list drift alerts of a model version (GET /monitoring/models/:name/versions/:version/alerts)')
    .argument('<name>', 'model name')
    .argument('<version>', 'version number', positiveInteger)
    .action(async (name: string, version: number, _options: object, command: Command) => {
      const cli = cliOf(command);
      const alerts = await cli.api.get<DriftAlertRow[]>(`/monitoring/models/${encodeURIComponent(name)}/versions/${version}/alerts`);
      cli.out.show(alerts, (rows) => listTable(rows, [
        { header: 'window', value: (r) => r.window_index },
        { header: 'feature', value: (r) => r.feature },
        { header: 'metric', value: (r) => r.metric },
        { header: 'value', value: (r) => r.value },
        { header: 'threshold', value: (r) => r.threshold },
        { header: 'severity', value: (r) => r.severity },
        { header: 'alert', value: (r) => r.alert_id },
      ]));
    });
}

function batchSize(value: string): number {
  const size = positiveInteger(value);
  if (size > MAX_BATCH) throw new InvalidArgumentError(`at most ${MAX_BATCH} predictions per request`);
  return size;
}
