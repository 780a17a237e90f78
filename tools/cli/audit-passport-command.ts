import { writeFileSync } from 'node:fs';
import { type Command, Option } from 'commander';
import { positiveInteger } from './arguments';
import { UsageError } from './failures';
import { cliOf, leaf } from './global-options';

const PASSPORT_FORMATS = ['json', 'markdown', 'html'] as const;
type PassportFormat = (typeof PASSPORT_FORMATS)[number];

export function addAuditPassportCommand(audit: Command): void {
  leaf(audit, 'passport', 'the model passport of a version (GET /audit/model-versions/:name/:version/passport)', ['format'])
    .argument('<name>', 'model name')
    .argument('<version>', 'version number', positiveInteger)
    .addOption(new Option('--format <format>', 'passport format; markdown and html are printed as the server sent them').choices(PASSPORT_FORMATS).default('json'))
    .option('--output <file>', 'write the passport to this file instead of stdout')
    .action(async (name: string, version: number, options: { format: PassportFormat; output?: string }, command: Command) => {
      const cli = cliOf(command);
      const path = `/audit/model-versions/${encodeURIComponent(name)}/${version}/passport`;
      const text = options.format === 'json'
        ? `${JSON.stringify(await cli.api.get<unknown>(path, { format: 'json' }), null, options.output !== undefined || process.stdout.isTTY ? 2 : undefined)}\n`
        : await cli.api.getText(path, { format: options.format });
      if (options.output === undefined) {
        process.stdout.write(text);
        return;
      }
      try {
        writeFileSync(options.output, text);
      } catch (error) {
        throw new UsageError(`${options.output}: cannot write the passport (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
      }
      cli.out.note(`passport of ${name}:${version} (${options.format}) written to ${options.output}`);
    });
}
