import { DomainError } from '@mgov/decider';

/** What a model name may look like: it becomes part of a stream id (`model:<name>`) and of every tag. */
export const modelNamePattern = /^[a-z0-9][a-z0-9._-]{0,63}$/;

/** Throws `REGISTRY.INVALID_MODEL_NAME` (400) unless the name matches `modelNamePattern`. */
export function validateModelName(modelName: string): void {
  if (typeof modelName !== 'string' || !modelNamePattern.test(modelName)) {
    throw new DomainError(
      'REGISTRY.INVALID_MODEL_NAME',
      `model name ${JSON.stringify(modelName)} is invalid: use 1-64 of a-z, 0-9, '.', '_', '-', starting with a letter or digit`,
      400,
    );
  }
}
