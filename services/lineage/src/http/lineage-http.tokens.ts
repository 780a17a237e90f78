import type { Role } from '@mgov/http-edge';

export const LINEAGE_SERVICE = Symbol('LineageService');
/** Everyone who reads lineage: the catalog, and (if privacy-cleared) a version's bytes. */
export const READERS: Role[] = ['data-steward', 'data-scientist', 'ml-engineer', 'model-reviewer', 'governance-auditor'];
