import type { PlatformSettings } from './service-definition';

/** The dataset settings of the environment: MGOV_DATASET_MAX_BYTES and the pseudonymization key (value or file). */
export function datasetSettingsFromEnv(env: NodeJS.ProcessEnv = process.env): Pick<PlatformSettings, 'datasetMaxBytes' | 'pseudonymizationKey'> {
  const maxBytes = env.MGOV_DATASET_MAX_BYTES ? Number(env.MGOV_DATASET_MAX_BYTES) : undefined;
  if (maxBytes !== undefined && (!Number.isSafeInteger(maxBytes) || maxBytes < 1)) {
    throw new Error(`MGOV_DATASET_MAX_BYTES must be a positive whole number of bytes, got ${JSON.stringify(env.MGOV_DATASET_MAX_BYTES)}`);
  }
  return {
    datasetMaxBytes: maxBytes,
    pseudonymizationKey: { value: env.MGOV_PSEUDONYMIZATION_KEY || null, file: env.MGOV_PSEUDONYMIZATION_KEY_FILE || null },
  };
}
