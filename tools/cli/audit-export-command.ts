import { createWriteStream, renameSync, rmSync, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import { finished } from 'node:stream/promises';
import { type Command, Option } from 'commander';
import { type AuditFilterOptions, auditFilterQuery, withAuditFilters } from './audit-filters';
import { ApiError, UsageError } from './failures';
import { cliOf, leaf } from './global-options';

const EXPORT_FORMATS = ['jsonl', 'csv'] as const;

interface ExportOptions extends AuditFilterOptions {
  readonly format: (typeof EXPORT_FORMATS)[number];
  readonly output?: string;
}

export function addAuditExportCommand(audit: Command): void {
  withAuditFilters(leaf(audit, 'export', 'every matching event up to the head, streamed to stdout or --output (GET /audit/export)', ['format']))
    .addOption(new Option('--format <format>', 'export format (this command\'s own --format, not json|table)').choices(EXPORT_FORMATS).default('jsonl'))
    .option('--output <file>', 'write to this file (via <file>.part, renamed when complete) instead of stdout')
    .action(async (options: ExportOptions, command: Command) => {
      const cli = cliOf(command);
      const response = await cli.api.stream('/audit/export', { format: options.format, ...auditFilterQuery(options) });
      const target = options.output === undefined ? undefined : `${options.output}.part`;
      const sink = target === undefined ? process.stdout : openFile(target);
      const progress = byteProgress();
      let written = 0;
      try {
        if (response.body) {
          for await (const chunk of response.body) {
            written += chunk.byteLength;
            if (!sink.write(chunk)) await once(sink, 'drain');
            if (sink.errored) throw sink.errored;
            progress(written);
          }
        }
        if (target !== undefined && options.output !== undefined) {
          await closeFile(sink as WriteStream);
          renameSync(target, options.output);
        }
      } catch (error) {
        if (target !== undefined) {
          (sink as WriteStream).destroy();
          rmSync(target, { force: true });
        }
        const unwritable = target === undefined ? undefined : (sink as WriteStream).errored;
        if (unwritable) throw new UsageError(`${options.output ?? ''}: cannot write the export (${(unwritable as NodeJS.ErrnoException).code ?? unwritable.message})`);
        throw new ApiError(response.status, 'CLI.EXPORT_CUT_SHORT', `the export stopped after ${written} bytes (${(error as Error).message}); ${target === undefined ? 'the output is incomplete' : 'nothing was written'}: run it again, or continue with --after <the last position received>`);
      } finally {
        progress(written, true);
      }
    });
}

function openFile(path: string): WriteStream {
  const stream = createWriteStream(path);
  stream.on('error', () => undefined); // read back as stream.errored by the loop and by closeFile
  return stream;
}

async function closeFile(stream: WriteStream): Promise<void> {
  stream.end();
  await finished(stream);
}

/** Bytes written, on stderr, when a person watches; silent when stderr is piped or logged. */
function byteProgress(): (bytes: number, done?: boolean) => void {
  if (!process.stderr.isTTY) return () => undefined;
  let shown = 0;
  return (bytes, done = false) => {
    const now = Date.now();
    if (!done && now - shown < 200) return;
    shown = now;
    process.stderr.write(`\r${(bytes / 1024).toFixed(bytes < 1024 * 1024 ? 1 : 0)} KiB written${done ? '\n' : ''}`);
  };
}
