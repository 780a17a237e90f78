import type { CommandMetadata } from '@mgov/decider';
import { datasetVersionDecider } from '@mgov/lineage-domain';
import type { ServiceRuntime } from '@mgov/service-runtime';
import { logger } from '@mgov/telemetry';
import { ObjectTamperedError } from '@mgov/object-store';
import { lineageLinks } from './links';
import { streams } from './write-model';

const log = logger('lineage');

/**
 * Runs a read of a version's bytes; when they no longer match its id, the refusal is reported (an
 * error log line and a DatasetVersionTamperingDetected fact in the audit trail) before it is thrown.
 */
export async function reportingTampering<T>(runtime: ServiceRuntime, datasetVersionId: string, during: string, metadata: CommandMetadata, read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (error) {
    if (error instanceof ObjectTamperedError && error.sha256 === datasetVersionId) {
      log.error({ datasetVersionId, actualSha256: error.actualSha256, during }, 'stored dataset version was tampered with; read refused');
      await runtime.commands.execute({
        streamId: streams.datasetVersion(datasetVersionId), decider: datasetVersionDecider, links: lineageLinks,
        command: { type: 'RecordTampering', datasetVersionId, actualSha256: error.actualSha256, detectedDuring: during, metadata },
      });
    }
    throw error;
  }
}
