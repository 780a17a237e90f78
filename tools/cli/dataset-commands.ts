import { createReadStream, readFileSync, statSync } from 'node:fs';
import { extname } from 'node:path';
import { type Command, InvalidArgumentError, Option } from 'commander';
import { collectList, positiveInteger } from './arguments';
import { UsageError } from './failures';
import { type Cli, cliOf, leaf } from './global-options';
import { progressOf } from './progress';
import { readRows } from './rows-file';
import { recordTable } from './tables';

interface RegisterOptions {
  readonly name: string;
  readonly source: string[];
  readonly file: string;
  readonly parent?: string[];
  readonly transformation?: string;
}

interface UploadOptions {
  readonly name: string;
  readonly file: string;
  readonly format?: UploadFormat;
  readonly source: string[];
  readonly parent?: string[];
  readonly transformation?: string;
}

interface LineageOptions {
  readonly direction: 'upstream' | 'downstream';
  readonly depth?: number;
  readonly as: 'json' | 'mermaid';
}

const UPLOAD_FORMATS = ['csv', 'jsonl', 'parquet'] as const;
type UploadFormat = (typeof UPLOAD_FORMATS)[number];
const EXTENSIONS: Readonly<Record<string, UploadFormat>> = { '.csv': 'csv', '.jsonl': 'jsonl', '.ndjson': 'jsonl', '.parquet': 'parquet' };
const NODE_KINDS = ['source', 'dataset-version', 'run', 'model-version', 'deployment', 'external-job', 'external-dataset'] as const;

const path = (id: string) => `/lineage/dataset-versions/${encodeURIComponent(id)}`;
const datasetPath = (name: string) => `/lineage/datasets/${encodeURIComponent(name)}`;
const VERSION_FIELDS = ['dataset_version_id', 'dataset_name', 'source_ids', 'row_count', 'eligible', 'registered_at'];

export function addDatasetCommands(program: Command): void {
  const dataset = program.command('dataset').description('content-addressed dataset versions (lineage)');

  leaf(dataset, 'upload', 'upload a dataset file as a new version, streamed (POST /lineage/datasets/:name/versions)', ['format'])
    .requiredOption('--name <dataset>', 'dataset name')
    .requiredOption('--file <path>', 'a .csv, .jsonl/.ndjson or .parquet file')
    .addOption(new Option('--format <format>', 'file format (default: from the extension)').choices(UPLOAD_FORMATS))
    .requiredOption('--source <id...>', 'source id(s) the data comes from', collectList)
    .option('--parent <id...>', 'dataset version id(s) this one was derived from', collectList)
    .option('--transformation <text>', 'how it was derived from its parents')
    .addHelpText('after', '\nThis command\'s --format is the file format; give the output format (json|table) before the command.\nPrints the version id and whether it was created (false: the same bytes were stored already).')
    .action(async (options: UploadOptions, command: Command) => {
      const cli = cliOf(command);
      const format = options.format ?? formatOf(options.file);
      const size = fileSize(options.file);
      const query = { format, source: options.source, parent: options.parent, transformation: options.transformation };
      const progress = progressOf(size, 'bytes');
      let uploaded: { datasetVersionId: string; created: boolean };
      try {
        uploaded = await cli.api.postRaw<typeof uploaded>(
          `${datasetPath(options.name)}/versions`, query, { content: counted(options.file, (n) => progress.advance(n)), contentType: 'application/octet-stream' },
        );
      } finally {
        progress.stop();
      }
      cli.out.show(uploaded, (r) => recordTable(r, ['datasetVersionId', 'created', ...Object.keys(r).filter((k) => k !== 'datasetVersionId' && k !== 'created')]));
    });

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
    .alias('show')
    .argument('<id>', 'dataset version id (the sha256 of its content)')
    .action(async (id: string, _options: object, command: Command) => {
      const cli = cliOf(command);
      cli.out.show(await cli.api.get<object>(path(id)), (r) => recordTable(r, VERSION_FIELDS));
    });

  leaf(dataset, 'privacy-gate', 'apply the dataset\'s privacy policy to a raw version (POST /lineage/dataset-versions/:id/privacy-gate)')
    .argument('<id>', 'dataset version id')
    .action(async (id: string, _options: object, command: Command) => {
      const cli = cliOf(command);
      cli.out.show(await cli.api.post<object>(`${path(id)}/privacy-gate`), (r) => recordTable(r));
    });

  leaf(dataset, 'bias-scan', 'scan a version against the dataset\'s bias policy (POST /lineage/dataset-versions/:id/bias-scan)')
    .argument('<id>', 'dataset version id')
    .action(async (id: string, _options: object, command: Command) => {
      const cli = cliOf(command);
      cli.out.show(await cli.api.post<object>(`${path(id)}/bias-scan`), (r) => recordTable(r));
    });

  leaf(dataset, 'waive', 'accept a flagged bias scan, making the version eligible (POST /lineage/dataset-versions/:id/bias-waiver)')
    .argument('<id>', 'dataset version id')
    .requiredOption('--justification <text>', 'why the flagged scan is accepted')
    .action(async (id: string, options: { justification: string }, command: Command) => {
      const cli = cliOf(command);
      cli.out.show(await cli.api.post<object>(`${path(id)}/bias-waiver`, { justification: options.justification }), (r) => recordTable(r));
    });

  addPolicyCommand(dataset, 'privacy-policy', 'set the dataset\'s privacy policy: {quasiIdentifiers, pseudonymize, generalize, suppress, drop, k}');
  addPolicyCommand(dataset, 'bias-policy', 'set the dataset\'s bias policy: {protectedAttributes, label, positive, thresholds?}');

  leaf(dataset, 'lineage', 'up- or downstream of a lineage node (GET /lineage/graph/:kind/:id/:direction)')
    .argument('<kind>', `node kind: ${NODE_KINDS.join(', ')}`, nodeKind)
    .argument('<id>', 'node id')
    .addOption(new Option('--direction <direction>', 'which way to walk').choices(['upstream', 'downstream']).default('upstream'))
    .option('--depth <n>', 'how many hops (server default when omitted)', positiveInteger)
    .addOption(new Option('--as <as>', 'json: the graph (shown per --format); mermaid: a flowchart, printed as sent').choices(['json', 'mermaid']).default('json'))
    .action(async (kind: string, id: string, options: LineageOptions, command: Command) => {
      const cli = cliOf(command);
      const route = `/lineage/graph/${encodeURIComponent(kind)}/${encodeURIComponent(id)}/${options.direction}`;
      const query = { format: options.as, depth: options.depth === undefined ? undefined : String(options.depth) };
      if (options.as === 'mermaid') {
        const text = await cli.api.getText(route, query);
        process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
        return;
      }
      cli.out.show(await cli.api.get<object>(route, query), (r) => recordTable(r));
    });
}

function addPolicyCommand(dataset: Command, name: 'privacy-policy' | 'bias-policy', description: string): void {
  leaf(dataset, name, `${description} (POST /lineage/datasets/:name/${name})`)
    .argument('<name>', 'dataset name')
    .requiredOption('--file <path>', 'the policy as JSON')
    .addHelpText('after', '\nAn unreadable or malformed file is a usage error (exit 2); nothing is sent.')
    .action(async (datasetName: string, options: { file: string }, command: Command) => {
      const cli: Cli = cliOf(command);
      cli.out.show(await cli.api.post<object>(`${datasetPath(datasetName)}/${name}`, readJson(options.file)), (r) => recordTable(r));
    });
}

function nodeKind(value: string): string {
  if (!(NODE_KINDS as readonly string[]).includes(value)) throw new InvalidArgumentError(`expected one of ${NODE_KINDS.join(', ')}`);
  return value;
}

function formatOf(file: string): UploadFormat {
  const format = EXTENSIONS[extname(file).toLowerCase()];
  if (format === undefined) throw new UsageError(`${file}: cannot tell the format from the extension; pass --format csv|jsonl|parquet`);
  return format;
}

function fileSize(file: string): number {
  try {
    const stat = statSync(file);
    if (!stat.isFile()) throw new UsageError(`${file}: not a file`);
    return stat.size;
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(`${file}: cannot read it (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
}

/** The file's bytes, streamed, reporting each chunk as it is handed to fetch. */
async function* counted(file: string, sent: (bytes: number) => void): AsyncGenerator<Uint8Array> {
  for await (const chunk of createReadStream(file)) {
    const bytes = chunk as Buffer;
    yield bytes;
    sent(bytes.byteLength);
  }
}

function readJson(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new UsageError(`${file}: cannot read it (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new UsageError(`${file}: not valid JSON (${(error as Error).message})`);
  }
}
