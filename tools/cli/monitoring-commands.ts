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
  readonly kind: string;
  readonly severity: string;
  readonly feature: string;
  readonly metric: string;
  readonly value: number;
  readonly threshold: number;
  readonly window_index: string;
}

interface PolicyVersionRow {
  readonly policyVersion: number;
  readonly changedAt: number;
  readonly changedBy: string;
  readonly change: string;
}

export function addMonitoringCommands(program: Command): void {
  const monitoring = program.command('monitoring').description('prediction and outcome events, drift/decay/bias alerts, health, metric series, policies (monitoring)');

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

  leaf(monitoring, 'outcomes', 'publish outcome events (ground truth) in batches (POST /monitoring/outcomes)')
    .requiredOption('--file <path>', 'outcomes as JSON Lines ({"predictionId", "groundTruth", "eventTime"?}) or a JSON array')
    .option('--batch-size <n>', `outcomes per request (at most ${MAX_BATCH})`, batchSize, 1000)
    .action(async (options: { file: string; batchSize: number }, command: Command) => {
      const cli = cliOf(command);
      const outcomes = readRows(options.file);
      let accepted = 0;
      for (let start = 0; start < outcomes.length; start += options.batchSize) {
        accepted += (await cli.api.post<{ accepted: number }>('/monitoring/outcomes', { outcomes: outcomes.slice(start, start + options.batchSize) })).accepted;
      }
      cli.out.show({ accepted }, (r) => recordTable(r));
    });

  leaf(monitoring, 'health', 'current health of each version of a model: its latest window and alerts (GET /monitoring/models/:name/health)')
    .argument('<name>', 'model name')
    .action(async (name: string, _options: object, command: Command) => {
      const cli = cliOf(command);
      const health = await cli.api.get<HealthAnswer>(`/monitoring/models/${encodeURIComponent(name)}/health`);
      cli.out.show(health, (h) => listTable(h.versions, [
        { header: 'version', value: (v) => v.version },
        { header: 'status', value: (v) => v.status },
        { header: 'window', value: (v) => v.lastWindow.index },
        { header: 'window end', value: (v) => v.lastWindow.end },
        { header: 'predictions', value: (v) => v.lastWindow.predictions },
        { header: 'labelled', value: (v) => v.lastWindow.labelled },
        { header: 'drift share', value: (v) => v.lastWindow.driftShare },
        { header: 'breaches', value: (v) => v.alerts.breach },
        { header: 'warnings', value: (v) => v.alerts.warn },
        { header: 'policy', value: (v) => v.lastWindow.policyVersion },
      ]));
    });

  leaf(monitoring, 'series', 'a metric time series of a model version (GET /monitoring/models/:name/versions/:version/series)')
    .argument('<name>', 'model name')
    .argument('<version>', 'version number', positiveInteger)
    .option('--subject <subject>', 'a feature, performance, bias:<attribute> or window')
    .option('--metric <metric>', 'psi, js, ks, ks_p_value, wasserstein, chi2_p_value, accuracy, f1, roc_auc, demographic_parity_difference, drift_share, …')
    .option('--limit <n>', 'the latest n points (default 500)', positiveInteger)
    .action(async (name: string, version: number, options: { subject?: string; metric?: string; limit?: number }, command: Command) => {
      const cli = cliOf(command);
      const query = { subject: options.subject, metric: options.metric, limit: options.limit === undefined ? undefined : String(options.limit) };
      const points = await cli.api.get<SeriesPoint[]>(`/monitoring/models/${encodeURIComponent(name)}/versions/${version}/series`, query);
      cli.out.show(points, (rows) => listTable(rows, [
        { header: 'window', value: (r) => r.window_index },
        { header: 'end', value: (r) => r.window_end },
        { header: 'subject', value: (r) => r.subject },
        { header: 'metric', value: (r) => r.metric },
        { header: 'value', value: (r) => r.value },
        { header: 'baseline', value: (r) => r.baseline },
      ]));
    });

  leaf(monitoring, 'policy', "show a model's monitoring policy, change it with --set (a new policy version), or list its versions with --history")
    .argument('<name>', 'model name')
    .option('--set <json>', 'the change as JSON, e.g. \'{"window":{"unit":"ms","size":3600000,"slide":600000},"performance":{"minLabelled":200}}\'', jsonObject)
    .option('--history', 'every version: who changed what, when')
    .action(async (name: string, options: { set?: object; history?: boolean }, command: Command) => {
      const cli = cliOf(command);
      const path = `/monitoring/models/${encodeURIComponent(name)}/policy`;
      if (options.history) {
        const versions = await cli.api.get<PolicyVersionRow[]>(`${path}/history`);
        cli.out.show(versions, (rows) => listTable(rows, [
          { header: 'version', value: (r) => r.policyVersion },
          { header: 'changed at', value: (r) => new Date(r.changedAt).toISOString() },
          { header: 'by', value: (r) => r.changedBy },
          { header: 'change', value: (r) => r.change },
        ]));
        return;
      }
      const policy = options.set ? await cli.api.post<object>(path, options.set) : await cli.api.get<object>(path);
      cli.out.show(policy, (p) => recordTable(p));
    });

  leaf(monitoring, 'alerts', 'list the alerts (data drift, performance decay, bias drift) of a model version (GET /monitoring/models/:name/versions/:version/alerts)')
    .argument('<name>', 'model name')
    .argument('<version>', 'version number', positiveInteger)
    .action(async (name: string, version: number, _options: object, command: Command) => {
      const cli = cliOf(command);
      const alerts = await cli.api.get<DriftAlertRow[]>(`/monitoring/models/${encodeURIComponent(name)}/versions/${version}/alerts`);
      cli.out.show(alerts, (rows) => listTable(rows, [
        { header: 'window', value: (r) => r.window_index },
        { header: 'kind', value: (r) => r.kind },
        { header: 'subject', value: (r) => r.feature },
        { header: 'metric', value: (r) => r.metric },
        { header: 'value', value: (r) => r.value },
        { header: 'threshold', value: (r) => r.threshold },
        { header: 'severity', value: (r) => r.severity },
        { header: 'alert', value: (r) => r.alert_id },
      ]));
    });
}

interface HealthAnswer {
  readonly versions: ReadonlyArray<{
    version: number; status: string; alerts: { breach: number; warn: number };
    lastWindow: { index: number; end: string; predictions: number; labelled: number; driftShare: number; policyVersion: number };
  }>;
}

interface SeriesPoint {
  readonly window_index: string;
  readonly window_end: string;
  readonly subject: string;
  readonly metric: string;
  readonly value: number;
  readonly baseline: number | null;
}

function jsonObject(value: string): object {
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch (error) {
    throw new InvalidArgumentError(`not valid JSON (${(error as Error).message})`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new InvalidArgumentError('expected a JSON object');
  return parsed;
}

function batchSize(value: string): number {
  const size = positiveInteger(value);
  if (size > MAX_BATCH) throw new InvalidArgumentError(`at most ${MAX_BATCH} predictions per request`);
  return size;
}
