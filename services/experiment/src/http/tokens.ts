import type { Role } from '@mgov/http-edge';

export const EXPERIMENT_SERVICE = Symbol('ExperimentService');
/** Who logs runs. */
export const EXPERIMENTERS: Role[] = ['data-scientist', 'ml-engineer'];
export const READERS: Role[] = [...EXPERIMENTERS, 'data-steward', 'model-reviewer', 'governance-auditor'];
