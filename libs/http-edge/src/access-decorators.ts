import { SetMetadata } from '@nestjs/common';

/** The roles MGov knows. `admin` may do everything; `governance-auditor` only reads audit data. */
export const ROLES = [
  'data-steward', 'data-scientist', 'model-reviewer', 'ml-engineer', 'governance-auditor', 'inference-service', 'admin',
] as const;
export type Role = (typeof ROLES)[number];

export const REQUIRED_ROLES = 'mgov:required-roles';
export const PUBLIC_ROUTE = 'mgov:public-route';

/** Declares which roles may call a route (any one of them suffices; admin always may). */
export const Requires = (...roles: Role[]) => SetMetadata(REQUIRED_ROLES, roles);

/** Declares a route open to anyone, without credentials (only `/health`). */
export const Public = () => SetMetadata(PUBLIC_ROUTE, true);
