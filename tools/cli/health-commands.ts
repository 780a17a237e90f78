import type { Command } from 'commander';
import { ApiError } from './failures';
import { cliOf, leaf } from './global-options';
import { recordTable } from './tables';

interface Health {
  readonly status: string;
  readonly services: readonly string[];
}

export function addHealthCommands(program: Command): void {
  leaf(program, 'health', 'whether every MGov service is ready (GET /health)').action(async (_options: object, command: Command) => {
    const cli = cliOf(command);
    const health = await cli.api.get<Health>('/health', undefined, [503]);
    cli.out.show(health, (h) => recordTable(h, ['status', 'services']));
    if (health.status !== 'ok') throw new ApiError(503, 'HEALTH.STARTING', `MGov is ${health.status}, not ready yet; retry in a moment`);
  });
}
