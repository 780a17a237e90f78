import { type Command, InvalidArgumentError } from 'commander';
import type { Query } from './api-client';

/** The ledger filters of `audit query` and `audit export`, as the options commander parsed them. */
export interface AuditFilterOptions {
  readonly model?: string;
  readonly modelVersion?: string;
  readonly datasetVersion?: string;
  readonly source?: string;
  readonly subject?: string;
  readonly type?: string;
  readonly correlationId?: string;
  readonly actor?: string;
  readonly service?: string;
  readonly from?: string;
  readonly to?: string;
  readonly after?: string;
}

/** Adds the filters GET /audit/events and GET /audit/export share; every given filter must match. */
export function withAuditFilters(command: Command): Command {
  return command
    .option('--model <name>', 'events about a model (subject model:<name>)')
    .option('--model-version <name:version>', 'events about a model version, e.g. credit-risk:3', modelVersion)
    .option('--dataset-version <id>', 'events about a dataset version')
    .option('--source <id>', 'events about a data source')
    .option('--subject <subject>', 'events linked to a subject, e.g. model-version:credit-risk:1')
    .option('--type <type>', 'event type, e.g. ModelQuarantined')
    .option('--correlation-id <id>', 'one governance flow')
    .option('--actor <id>', 'events by this actor')
    .option('--service <service>', 'the service that recorded it, e.g. registry')
    .option('--from <instant>', 'occurred at or after (ISO 8601, e.g. 2030-01-31T12:00:00Z)')
    .option('--to <instant>', 'occurred before (ISO 8601)')
    .option('--after <position>', 'start after this ledger position (e.g. a previous page\'s nextCursor)');
}

/** The filters as the server names its query parameters. */
export function auditFilterQuery(options: AuditFilterOptions): Query {
  const { model, modelVersion: version, datasetVersion, source, subject, type, correlationId, actor, service, from, to, after } = options;
  return { model, modelVersion: version, datasetVersion, source, subject, type, correlationId, actor, service, from, to, after };
}

function modelVersion(value: string): string {
  if (!/^[^:\s]+:[1-9]\d{0,8}$/.test(value)) throw new InvalidArgumentError('expected name:version, e.g. credit-risk:3');
  return value;
}
