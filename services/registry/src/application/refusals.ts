import type { RegistryRequestRefused } from '@mgov/contracts';
import { type CommandMetadata, DomainError } from '@mgov/decider';
import type { Sql } from '@mgov/event-store';
import { modelNamePattern, requestRefusalDecider } from '@mgov/registry-domain';
import type { ServiceRuntime } from '@mgov/service-runtime';
import { logger } from '@mgov/telemetry';
import { registryLinks } from './links';

const log = logger('registry');

export interface RefusalSubject {
  readonly modelName?: string;
  readonly candidateId?: string;
  readonly version?: number | null;
  readonly details?: Record<string, unknown>;
}

/** Records a refused request as a RegistryRequestRefused fact (stream `registry-refusals:<model>`), for the audit trail. */
export async function recordRefusal(runtime: ServiceRuntime, action: string, error: DomainError, subject: RefusalSubject, metadata: CommandMetadata, tx?: Sql): Promise<void> {
  const modelName = subject.modelName && modelNamePattern.test(subject.modelName) ? subject.modelName : '';
  const refusal: RegistryRequestRefused['data'] = {
    action, code: error.code, message: error.message, modelName, candidateId: subject.candidateId ?? '',
    version: Number.isInteger(subject.version) ? subject.version! : null, details: JSON.stringify(subject.details ?? {}),
  };
  try {
    await runtime.commands.execute({
      streamId: `registry-refusals:${modelName || '-'}`, decider: requestRefusalDecider, links: registryLinks, tx,
      command: { type: 'RecordRefusal', refusal, metadata },
    });
  } catch (recordingError) {
    // The refusal still reaches the caller; a lost record is logged loudly.
    log.error({ err: recordingError, refusal }, 'could not record a refused registry request');
    if (tx) throw recordingError;
  }
}

/** Runs a request; a refusal (a DomainError) is recorded before it is rethrown. */
export async function recordingRefusals<T>(runtime: ServiceRuntime, action: string, subject: RefusalSubject, metadata: CommandMetadata, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof DomainError) await recordRefusal(runtime, action, error, subject, metadata);
    throw error;
  }
}
