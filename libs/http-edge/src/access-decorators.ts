import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiBearerAuth, ApiExtension } from '@nestjs/swagger';
import type { Role } from '@mgov/auth';

export { ROLES, type Role } from '@mgov/auth';

export const REQUIRED_ROLES = 'mgov:required-roles';
export const PUBLIC_ROUTE = 'mgov:public-route';
/** The OpenAPI extensions that publish each operation's rule (read by clients and by the access tests). */
export const OPENAPI_ROLES = 'x-mgov-roles';
export const OPENAPI_PUBLIC = 'x-mgov-public';

/** Declares which roles may call a route (any one of them suffices; admin always may). */
export const Requires = (...roles: Role[]) =>
  applyDecorators(SetMetadata(REQUIRED_ROLES, roles), ApiBearerAuth(), ApiExtension(OPENAPI_ROLES, [...roles]));

/** Declares a route open to anyone, without credentials (only `/health`). */
export const Public = () => applyDecorators(SetMetadata(PUBLIC_ROUTE, true), ApiExtension(OPENAPI_PUBLIC, true));
